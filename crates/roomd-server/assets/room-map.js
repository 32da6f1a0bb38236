// The room form's map: a click (or "use my location") sets latitude and longitude; the
// check-in radius is drawn around the pin.
(function () {
  const lat = document.getElementById('room-latitude');
  const lon = document.getElementById('room-longitude');
  const rad = document.getElementById('room-radius');
  const at = [parseFloat(lat.value) || 22.5431, parseFloat(lon.value) || 114.0579];
  const map = L.map('map').setView(at, 16);
  L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 19,
    attribution: '&copy; OpenStreetMap contributors',
  }).addTo(map);
  const pin = L.circleMarker(at, { radius: 6 }).addTo(map);
  const ring = L.circle(at, { radius: parseFloat(rad.value) || 0 }).addTo(map);
  function place(ll) {
    pin.setLatLng(ll);
    ring.setLatLng(ll);
    lat.value = ll.lat.toFixed(6);
    lon.value = ll.lng.toFixed(6);
  }
  map.on('click', (e) => place(e.latlng));
  rad.addEventListener('input', () => ring.setRadius(parseFloat(rad.value) || 0));
  document.getElementById('locate').addEventListener('click', () =>
    navigator.geolocation && navigator.geolocation.getCurrentPosition((p) => {
      const ll = L.latLng(p.coords.latitude, p.coords.longitude);
      place(ll);
      map.setView(ll);
    }));
})();
