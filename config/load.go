package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"text/tabwriter"
)

var (
	errInvalidNumber   = errors.New("not a whole number")
	errInvalidBool     = errors.New("not true or false")
	errInvalidDuration = errors.New("not a duration such as 250ms, 30s or 5m")
)

// ErrHelp is returned by Load when --help was asked for; the usage has been written.
var ErrHelp = flag.ErrHelp

// Load builds the configuration from defaults, then getenv, then args (the flag wins), and validates it.
// It returns the arguments left after the flags. extra registers a command's own flags on the same set.
func Load(name string, args []string, getenv func(string) string, out io.Writer, extra func(*flag.FlagSet)) (*Config, []string, error) {
	cfg := &Config{}
	for i := range settings {
		s := &settings[i]
		if err := s.set(cfg, s.def); err != nil {
			panic(fmt.Sprintf("config: bad default for %s: %v", s.name, err))
		}
	}
	for i := range settings {
		s := &settings[i]
		if v, ok := lookup(getenv, s.env); ok {
			if err := s.set(cfg, v); err != nil {
				return nil, nil, fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
	}

	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for i := range settings {
		s := &settings[i]
		fs.Var(&flagValue{s: s, cfg: cfg}, s.name, s.help)
	}
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			Usage(out, name, fs)
			return nil, nil, ErrHelp
		}
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	return cfg, fs.Args(), nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// ResolveBaseURL fills in the public base URL from the address actually listened on, and in sandbox
// mode the provider base URLs and credentials that point at the built-in emulators.
func (c *Config) ResolveBaseURL(listenAddr net.Addr) {
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(listenAddr.String())
		if host == "127.0.0.1" || host == "::1" || host == "::" || host == "0.0.0.0" || host == "" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if !c.Sandbox() {
		return
	}
	fill := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	fill(&c.PayPalAPIBase, c.BaseURL+"/sandbox/paypal")
	fill(&c.GraphAPIBase, c.BaseURL+"/sandbox/graph/v21.0")
	fill(&c.PayPalClientID, "sandbox-chatshop-client")
	fill(&c.PayPalClientSecret, "sandbox-chatshop-secret")
	fill(&c.PayPalWebhookID, "8SANDBOX0CHATSHOP") // PayPal webhook ids are letters and digits
	fill(&c.PayPalPartnerID, "CHATSHPPARTNR")     // PayPal merchant ids are 13 letters and digits
	fill(&c.MetaAppSecret, "sandbox-meta-app-secret")
	fill(&c.MetaVerifyToken, "sandbox-verify-token")
}

// Usage writes every setting with its flag, environment variable and default.
func Usage(out io.Writer, name string, fs *flag.FlagSet) {
	fmt.Fprintf(out, "Usage: chatshop %s [flags]\n\nSettings (a flag wins over its environment variable):\n", name)
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  FLAG\tENVIRONMENT\tDEFAULT\tMEANING")
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.flagName(), s.env, def, s.help)
	}
	tw.Flush()
	if fs == nil {
		return
	}
	var own []string
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(*flagValue); !ok {
			own = append(own, fmt.Sprintf("  --%s\t%s", f.Name, f.Usage))
		}
	})
	if len(own) > 0 {
		fmt.Fprintf(out, "\nFlags of %s:\n%s\n", name, strings.Join(own, "\n"))
	}
}

// flagValue lets the flag package write straight into a Config field.
type flagValue struct {
	s   *setting
	cfg *Config
}

func (v *flagValue) String() string {
	if v.cfg == nil {
		return ""
	}
	return fmt.Sprint(v.s.field(v.cfg))
}
func (v *flagValue) Set(text string) error { return v.s.set(v.cfg, text) }
func (v *flagValue) IsBoolFlag() bool      { return v.s.isBool() }
