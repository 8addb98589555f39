package paypal

// The certificate cache's limits, for the tests in package paypal_test.
const (
	CertCacheSize  = certCacheSize
	CertTTL        = certTTL
	CertFailureTTL = certFailureTTL
)

// CachedCerts is the number of entries in v's certificate cache, finished or being fetched.
func (v *Verifier) CachedCerts() int { return v.certs.size() }
