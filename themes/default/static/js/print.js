// The print page's "print" button (hidden without JavaScript, where the browser's own print
// command does the same).
const button = document.getElementById("print-button");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
