package catalog

import (
	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/models"
)

// ImageBlob is a prepared picture (imaging.Prepare) as the store keeps it.
func ImageBlob(p *imaging.Prepared) *models.ImageBlob {
	return &models.ImageBlob{Digest: p.Digest, ContentType: p.ContentType, Width: p.Width, Height: p.Height, Data: p.Data, Thumb: p.Thumb}
}
