// Sign-in page (signin.html) for residents: phone + SMS code
// (POST /api/residents/phone-code, …/phone-sign-in), e-mail + code
// (PocketBase's request-otp / auth-with-otp on "users") or password
// (auth-with-password, phone or e-mail as the account). A first sign-in by
// code opens the account. Afterwards the page goes to ?next= (a page of
// this site) or 我的诉求.
(function () {
  "use strict";
  var $ = SY.$;
  var forms = { phone: $("#phone-form"), email: $("#email-form"), password: $("#password-form") };
  var otpId = ""; // the e-mail code's id from request-otp

  // ---- the three ways ----
  function show(way) {
    Object.keys(forms).forEach(function (k) { forms[k].hidden = k !== way; });
  }
  document.querySelectorAll("input[name=way]").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) show(r.value); });
  });
  show((document.querySelector("input[name=way]:checked") || {}).value || "phone");

  function fail(prefix, formError, err) {
    var left = err.status === 400 ? SY.showErrors(err.data, prefix) : [];
    if (err.status !== 400 || left.length) formError.append(SY.errorBox(err));
  }
  function reset(form, formError) {
    SY.clearErrors(form);
    formError.replaceChildren();
  }

  function signedIn(form, auth) {
    SY.session.set("resident", auth, form.querySelector(".persist").checked);
    var next = SY.safeNext(SY.param("next"), "mine.html");
    location.href = /^signin\.html/.test(next) ? "mine.html" : next;
  }

  // countdown keeps a 获取验证码 button disabled for `seconds`.
  function countdown(btn, seconds) {
    var label = "获取验证码";
    btn.disabled = true;
    (function tick() {
      if (seconds <= 0) { btn.disabled = false; btn.textContent = "重新获取"; return; }
      btn.textContent = label + "（" + seconds + " 秒）";
      seconds--;
      setTimeout(tick, 1000);
    })();
  }

  // PocketBase's own auth endpoints answer in English: say it in Chinese.
  function pbCodeError(err) {
    if (err.status === 400) {
      return { status: 400, data: { code: { message: "验证码不正确或已过期，请检查或重新获取" } } };
    }
    if (err.status === 429) err.message = "尝试次数过多，请重新获取验证码后再试";
    return err;
  }

  // ---- phone + SMS code ----
  $("#phone-send").addEventListener("click", function () {
    var form = forms.phone, formError = $("#phone-form-error"), btn = this;
    reset(form, formError);
    $("#phone-sent").textContent = "";
    var phone = SY.normalizePhone($("#phone-phone").value);
    if (!phone) { SY.showErrors({ phone: "请输入手机号" }, "phone-"); return; }
    if (!/^1[3-9]\d{9}$/.test(phone)) { SY.showErrors({ phone: "请输入 11 位手机号（验证码只能发送到手机）" }, "phone-"); return; }
    btn.disabled = true;
    SY.api("/api/residents/phone-code", { json: { phone: phone }, auth: false }).then(function (r) {
      $("#phone-sent").textContent = r.message;
      countdown(btn, r.resend_after || 60);
      $("#phone-code").focus();
    }, function (err) {
      btn.disabled = false;
      if (err.data && err.data.retry_after && err.status === 429 && err.data.retry_after < 3600) countdown(btn, err.data.retry_after);
      fail("phone-", formError, err);
    });
  });

  forms.phone.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var form = this, formError = $("#phone-form-error"), btn = form.querySelector("button[type=submit]");
    reset(form, formError);
    var phone = SY.normalizePhone($("#phone-phone").value), code = $("#phone-code").value.trim();
    var errs = {};
    if (!phone) errs.phone = "请输入手机号";
    else if (!/^1[3-9]\d{9}$/.test(phone)) errs.phone = "请输入 11 位手机号（验证码只能发送到手机）";
    if (!code) errs.code = "请输入短信验证码";
    else if (!/^\d{6}$/.test(code)) errs.code = "验证码是 6 位数字";
    if (Object.keys(errs).length) { SY.showErrors(errs, "phone-"); return; }
    btn.disabled = true;
    SY.api("/api/residents/phone-sign-in", { json: { phone: phone, code: code }, auth: false }).then(function (auth) {
      signedIn(form, auth);
    }, function (err) {
      btn.disabled = false;
      fail("phone-", formError, err);
    });
  });

  // ---- e-mail + code ----
  function emailValue() { return $("#email-email").value.trim().toLowerCase(); }
  function validEmail(s) { return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s); }

  $("#email-send").addEventListener("click", function () {
    var form = forms.email, formError = $("#email-form-error"), btn = this, email = emailValue();
    reset(form, formError);
    $("#email-sent").textContent = "";
    if (!email) { SY.showErrors({ email: "请输入邮箱" }, "email-"); return; }
    if (!validEmail(email)) { SY.showErrors({ email: "邮箱格式不正确，如 name@example.com" }, "email-"); return; }
    btn.disabled = true;
    SY.api("/api/collections/users/request-otp", { json: { email: email }, auth: false }).then(function (r) {
      otpId = r.otpId;
      $("#email-sent").textContent = "验证码已发送到 " + SY.maskEmail(email) + "，10 分钟内有效。如未收到，请查看垃圾邮件。";
      countdown(btn, 60);
      $("#email-code").focus();
    }, function (err) {
      btn.disabled = false;
      if (err.status === 400) err = { status: 400, data: { email: { message: "邮箱格式不正确，如 name@example.com" } } };
      if (err.data && err.data.retry_after && err.data.retry_after < 3600) countdown(btn, err.data.retry_after);
      fail("email-", formError, err);
    });
  });

  forms.email.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var form = this, formError = $("#email-form-error"), btn = form.querySelector("button[type=submit]");
    reset(form, formError);
    var email = emailValue(), code = $("#email-code").value.trim();
    var errs = {};
    if (!email) errs.email = "请输入邮箱";
    else if (!validEmail(email)) errs.email = "邮箱格式不正确，如 name@example.com";
    if (!code) errs.code = "请输入邮件中的验证码";
    else if (!/^\d{6}$/.test(code)) errs.code = "验证码是 6 位数字";
    else if (!otpId) errs.code = "请先点击「获取验证码」";
    if (Object.keys(errs).length) { SY.showErrors(errs, "email-"); return; }
    btn.disabled = true;
    SY.api("/api/collections/users/auth-with-otp", { json: { otpId: otpId, password: code }, auth: false }).then(function (auth) {
      signedIn(form, auth);
    }, function (err) {
      btn.disabled = false;
      fail("email-", formError, pbCodeError(err));
    });
  });

  // ---- password ----
  forms.password.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var form = this, formError = $("#password-form-error"), btn = form.querySelector("button[type=submit]");
    reset(form, formError);
    var id = $("#password-identity").value.trim(), pw = $("#password-password").value;
    if (id && id.indexOf("@") < 0) id = SY.normalizePhone(id);
    var errs = {};
    if (!id) errs.identity = "请输入手机号或邮箱";
    else if (id.indexOf("@") < 0 && !/^1[3-9]\d{9}$/.test(id)) errs.identity = "请输入 11 位手机号或邮箱";
    if (!pw) errs.password = "请输入密码";
    if (Object.keys(errs).length) { SY.showErrors(errs, "password-"); return; }
    btn.disabled = true;
    SY.api("/api/collections/users/auth-with-password", { json: { identity: id, password: pw }, auth: false }).then(function (auth) {
      signedIn(form, auth);
    }, function (err) {
      btn.disabled = false;
      if (err.status === 400) err = { status: 400, data: { password: { message: "账号或密码不正确" } } };
      fail("password-", formError, err);
    });
  });

  $("#password-reset").addEventListener("click", function () {
    var form = forms.password, formError = $("#password-form-error"), email = $("#password-identity").value.trim();
    reset(form, formError);
    $("#password-reset-status").textContent = "";
    if (!validEmail(email)) { SY.showErrors({ identity: "请先填写开通账号时使用的邮箱" }, "password-"); return; }
    SY.api("/api/collections/users/request-password-reset", { json: { email: email }, auth: false }).then(function () {
      $("#password-reset-status").textContent = "如果该邮箱已开通账号，设置密码的邮件已发送，请在 30 分钟内打开邮件中的链接。";
    }, function (err) { fail("password-", formError, err); });
  });
})();
