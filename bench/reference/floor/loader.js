// The floor: a plain HTML form and a few lines of JavaScript, the least a login page can load.
const form = document.querySelector('form');
const alert = document.querySelector('[role=alert]');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const missing = [...form.querySelectorAll('input')].some((input) => input.value === '');
  alert.hidden = !missing;
  alert.textContent = missing ? 'Enter your email or username and your password.' : '';
});
performance.mark('login-ready');
