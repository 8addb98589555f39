package sandbox

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// deliveryFaults is the state of the delivery switch.
type deliveryFaults struct {
	Duplicate bool `json:"duplicate"`
	Reorder   bool `json:"reorder"`
}

// DeliveryFaults is GET /sandbox/api/delivery: whether webhooks are being duplicated and reordered.
func (s *Sandbox) DeliveryFaults(c echo.Context) error {
	return c.JSON(http.StatusOK, deliveryFaults{Duplicate: s.duplicate.Load(), Reorder: s.reorder.Load()})
}

// SetDeliveryFaults is POST /sandbox/api/delivery {duplicate, reorder}: from now on every PayPal and
// Messenger webhook is delivered twice, and/or after a random delay of up to half a second.
func (s *Sandbox) SetDeliveryFaults(c echo.Context) error {
	var f deliveryFaults
	if err := json.NewDecoder(c.Request().Body).Decode(&f); err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"duplicate": true, "reorder": true}`)
	}
	s.duplicate.Store(f.Duplicate)
	s.reorder.Store(f.Reorder)
	return s.DeliveryFaults(c)
}
