// Package shopify reads and writes Shopify product CSV files.
//
// Read accepts both column sets Shopify has used: the classic one (Handle,
// Title, Body (HTML), ..., Variant Price, Image Src, ...) and the current one
// (Title, URL handle, Description, ..., Price, Product image URL, ...). It
// groups the rows of a product by handle into a neutral Product structure and
// reports every problem it finds by line number, so that a retailer can fix
// the file. Products with problems are listed too; File.Invalid tells which
// ones an import should skip.
//
// Writer writes products in the current column set, so that exporting a
// catalog and importing the file again yields the same catalog. A cell that a
// spreadsheet would run as a formula (it starts with =, +, -, @, tab or carriage
// return) is written with a leading apostrophe, and Read removes exactly that
// apostrophe again (package csvcell).
//
// Prices are handled as integer minor units (cents) without floating point;
// the number of decimals of the shop's currency is passed in by the caller.
// The package does no database access and does not sanitize HTML.
package shopify
