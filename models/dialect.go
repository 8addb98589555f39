package models

import (
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

// dialect is what differs between chatshop's SQL on SQLite and on PostgreSQL. Everything else is
// written once, in the SQL both accept.
type dialect struct {
	postgres bool
}

// name is the dialect's migrations folder and its name in messages.
func (d dialect) name() string {
	if d.postgres {
		return "postgres"
	}
	return "sqlite"
}

func (d dialect) goose() goose.Dialect {
	if d.postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// Numbered rewrites a statement's ? placeholders as $1, $2...: PostgreSQL's, which SQLite reads
// too (as parameters named $1, $2..., bound in order). gorm does this itself; statements run
// through database/sql need it. The statement must have no ? inside a string literal.
func Numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// caseless is column as a key that sorts and compares without regard to case; PostgreSQL's
// schema indexes lower(column) where SQLite's uses COLLATE NOCASE.
func (d dialect) caseless(column string) string {
	if d.postgres {
		return "lower(" + column + ")"
	}
	return column + " COLLATE NOCASE"
}

// caselessValue is the value a caseless key is compared with.
func (d dialect) caselessValue() string {
	if d.postgres {
		return "lower(?)"
	}
	return "?"
}

// likeCaseless is the condition that column matches a LIKE pattern escaped with \, without regard
// to case (SQLite's LIKE ignores case already, and its index on the column serves it).
func (d dialect) likeCaseless(column string) string {
	if d.postgres {
		return "lower(" + column + ") LIKE lower(?) ESCAPE '\\'"
	}
	return column + " LIKE ? ESCAPE '\\'"
}

// textMatch is the condition that products_fts matches a query made by fullText.
func (d dialect) textMatch() string {
	if d.postgres {
		return "products_fts.document @@ to_tsquery('simple', ?)"
	}
	return "products_fts MATCH ?"
}

// fullText is a full-text query in which every term must match, each a phrase whose last
// word may be a prefix: SQLite FTS's "word other*", or PostgreSQL's word <-> other:*.
func (d dialect) fullText(terms [][]string) string {
	parts := make([]string, len(terms))
	for i, words := range terms {
		if d.postgres {
			parts[i] = strings.Join(words, " <-> ") + ":*"
		} else {
			parts[i] = `"` + strings.Join(words, " ") + `*"`
		}
	}
	if d.postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

// day is the calendar day (UTC, YYYY-MM-DD) of a timestamp column.
func (d dialect) day(column string) string {
	if d.postgres {
		return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "strftime('%Y-%m-%d', " + column + ")"
}

// skipLocked is the clause that makes concurrent claimers pass over rows another has locked;
// SQLite has one writer, so nothing to skip.
func (d dialect) skipLocked() string {
	if d.postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
