// The trail (and on a result, the crime with its radius) drawn with Leaflet over the
// tiles of IOM_MAP_TILE_URL. The page carries it only when a tile server is set; it
// reads the fixes from the page's JSON data element (no inline script: the CSP allows
// none). Without script, or before it runs, the server's drawing shows, and the table
// of fixes beside the map is always there (docs/adr/0012-trail-map.md).
(function () {
  "use strict";
  var L = window.L;
  if (!L) {
    return;
  }
  var BLUE = "#1d70b8";
  var RED = "#d4351c";

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-iom-map"));
    var box = figure.querySelector("div.iom-map__tiles");
    if (!source || !box) {
      return;
    }
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(figure.getAttribute("data-tile-url"), {
      attribution: figure.getAttribute("data-tile-attribution"),
      maxZoom: 19
    }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    var points = data.fixes.map(function (fix) { return [fix[0], fix[1]]; });
    var bounds = L.latLngBounds(points);
    if (points.length > 1) {
      L.polyline(points, { color: BLUE, weight: 2, interactive: false }).addTo(map);
    }
    data.fixes.forEach(function (fix) {
      var near = fix[2];
      L.circleMarker([fix[0], fix[1]], {
        radius: near ? 4 : 2.5, color: near ? RED : BLUE, fillColor: near ? RED : BLUE,
        fillOpacity: 1, weight: 1, interactive: false
      }).addTo(map);
    });
    if (data.scene) {
      var scene = L.latLng(data.scene[0], data.scene[1]);
      L.circle(scene, {
        radius: data.scene[2], color: RED, weight: 1.5, fillColor: RED, fillOpacity: 0.12,
        interactive: false
      }).addTo(map);
      bounds.extend(scene.toBounds(data.scene[2] * 2));
      L.marker(scene, {
        icon: L.divIcon({ className: "iom-map__scene", iconSize: [16, 16] }),
        interactive: false, keyboard: false
      }).addTo(map);
    }
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
    figure.querySelectorAll(".iom-map__drawing").forEach(function (el) { el.hidden = true; });
    figure.querySelectorAll("span.iom-map__tiles").forEach(function (el) { el.hidden = false; });
  }

  document.querySelectorAll("figure[data-iom-map]").forEach(draw);
})();
