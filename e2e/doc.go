// Package e2e holds chatshop's end-to-end tests: the real binary on loopback, driven by headless
// Chromium (go-rod) for the journeys a person clicks. Set CHATSHOP_SCREENSHOTS=dir to keep
// screenshots of each journey.
package e2e
