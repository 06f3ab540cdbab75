// After django-otp-webauthn's script registered a passkey, go on to the page named on the button (the recovery codes
// of a first device, else back to the overview). A static file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var button = document.getElementById("passkey-register-button");
    window.location.assign((button && button.getAttribute("data-next")) || window.location.href);
  });
})();
