// "Copy" buttons: copy the field named by data-copy, then say so on the button for a
// moment. Without the clipboard (plain HTTP), select the text for the person to copy.
document.querySelectorAll('button[data-copy]').forEach(function (button) {
  const field = document.getElementById(button.dataset.copy);
  const label = button.textContent;
  button.addEventListener('click', function () {
    field.select();
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = button.dataset.done;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
