package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
)

// pathID reads the :id of the route; a malformed one is a 404, like an id of another shop.
func pathID(c echo.Context) (int64, error) {
	return pathParam(c, "id")
}

// pathParam is the route's named id parameter; one that is not a positive number finds nothing.
func pathParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}
