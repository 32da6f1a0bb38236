// Check-in by location: before a form marked data-locate goes, ask the browser for the
// phone's position and put it in the form. Without one (refused, no GPS, a timeout) the
// form goes anyway, and the server says what is missing.
document.querySelectorAll('form[data-locate]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (form.elements.latitude.value || !navigator.geolocation) return;
    event.preventDefault();
    const send = function () { form.submit(); };
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = position.coords.latitude;
      form.elements.longitude.value = position.coords.longitude;
      send();
    }, send, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
});
