// Progressive enhancement only: every page works without JavaScript.
// NHS.UK frontend's initAll() runs only when <body> has `nhsuk-frontend-supported`. Our Jinja
// pages set it from the template's nonced inline script; the allauth pages (Django templates)
// have no inline scripts at all, so set it here too. A module script runs only in browsers
// that support ES modules, which is exactly the condition the inline script tests.
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
