"""The trail map's tile server, when one is set (docs/adr/0012-trail-map.md).

With ``IOM_MAP_TILE_URL`` set, a page with a map loads Leaflet and a small script that
draws the same fixes over the tiles; the page's Content Security Policy then allows
images from the tile server's origin, and nothing else more. Unset (the demo, the
tests, a machine with no network), the page has only the server's drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

from .trailmap import Place


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str

    @property
    def image_source(self) -> str:
        """The origin of the tiles as a CSP source: ``{s}`` subdomains become ``*``."""
        parts = urlsplit(self.url)
        host = parts.netloc.replace("{s}", "*")
        return f"{parts.scheme}://{host}"


def configured() -> Tiles | None:
    url = str(getattr(settings, "IOM_MAP_TILE_URL", "") or "")
    if not url:
        return None
    return Tiles(url=url, attribution=str(settings.IOM_MAP_TILE_ATTRIBUTION or ""))


def map_data(places: Sequence[Place], scene: Place | None = None,
             radius_m: float = 0.0) -> dict[str, Any]:
    """What the script draws: each fix as [latitude, longitude, near], and the scene."""
    return {"fixes": [[p.latitude, p.longitude, p.near] for p in places],
            "scene": [scene.latitude, scene.longitude, radius_m] if scene else None}


def allow_tiles(response: HttpResponse, tiles: Tiles | None) -> HttpResponse:
    """Let the page load the tiles' images (django-csp adds this to its img-src)."""
    if tiles is not None:
        response._csp_update = {"img-src": [tiles.image_source]}  # type: ignore[attr-defined]
    return response
