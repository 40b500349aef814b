/* The SCORM player: scorm-again gives the SCO its runtime (window.API for SCORM 1.2,
   window.API_1484_11 for SCORM 2004) and commits the CMI data to capdev as flattened JSON.
   The data of earlier launches is loaded first, so the SCO resumes where it was left. */
(function () {
  "use strict";
  var NAV_EXIT = /^(exit|exitAll|suspendAll|abandon|abandonAll)$/;

  function start() {
    var config = JSON.parse(document.getElementById("scorm-config").textContent);
    var frame = document.getElementById("scorm-frame");
    var status = document.getElementById("player-status");
    function say(text) { status.textContent = text; }

    var settings = {
      autocommit: true,
      autocommitSeconds: 30,
      lmsCommitUrl: config.commitUrl || false,
      dataCommitFormat: "flattened",
      sendFullCommit: true,
      xhrHeaders: { "X-CSRFToken": config.csrfToken },
      terminateCommitParam: "final",
      autoCompleteLessonStatus: true,
      logLevel: 4,
      xhrResponseHandler: function (xhr) {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        var ok = xhr.status >= 200 && xhr.status < 300 && (body.result === true || body.result === "true");
        say(ok ? config.messages.saved : config.messages.failed + (body.detail ? " (" + body.detail + ")" : ""));
        return { result: ok ? "true" : "false", errorCode: ok ? 0 : 101 };
      }
    };
    var api = config.version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromFlattenedJSON(config.cmi);
    if (!config.commitUrl) { say(config.messages.preview); }

    if (config.version === "1.2") {
      window.API = api;
      api.on("LMSFinish", function () { if (config.commitUrl) { say(config.messages.sent); } });
    } else {
      window.API_1484_11 = api;
      api.on("Terminate", function () {
        if (config.commitUrl) { say(config.messages.sent); }
        var request = "";
        try { request = api.adl && api.adl.nav ? String(api.adl.nav.request) : ""; } catch (e) { request = ""; }
        if (NAV_EXIT.test(request)) {
          window.setTimeout(function () { window.location.assign(config.backUrl); }, 400);
        }
      });
    }
    window.capdevScorm = api;
    frame.src = config.launchUrl;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
