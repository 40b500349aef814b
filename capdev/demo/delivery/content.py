"""The online self-paced part of the demo products: lessons per module and one SCORM package.

The catalogue demo (`capdev.demo.catalogue`) writes these while each product is still a draft
(lessons and packages are authored on drafts only); derived versions and partners' adaptations get
copies through the catalogue's content hook. Lessons go through `learning.services.create_lesson`,
so their text is sanitised like any author's.

- **Vocational Train the Trainers**: eight lessons over the six modules of the online part, and
  in "Evaluation and closing" a SCORM 1.2 quiz (pass mark 80 %). Version 2 adds a lesson on
  online and blended delivery.
- **Award in Training for Migration Practitioners**: four lessons in the preparatory module (one
  in Arabic).

Video links point at the programme's own learning platform (`learning.capdev.example`): capdev
runs on a LAN without internet, and a link is shown as a link when it is not a known video host.

The SCORM package is built in memory and byte-for-byte the same on every load (fixed timestamps
and order in the zip): an `imsmanifest.xml` and a page that finds the LMS's SCORM 1.2 API in a
parent window, asks five questions, and reports the score, the status and the time.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

LMS = "https://learning.capdev.example"


@dataclass(frozen=True)
class LessonSpec:
    title: str
    body: str
    minutes: int = 15
    video: str = ""


# Standard module title -> its lessons, in order.
TOT_LESSONS: dict[str, tuple[LessonSpec, ...]] = {
    "The training cycle": (
        LessonSpec(
            "From the request to the follow-up",
            "<p>Every training starts with a request: a partner authority needs its officers to do "
            "something they cannot do yet. The <strong>training cycle</strong> turns that request into "
            "a course and checks, months later, whether work changed.</p>"
            "<ol><li><strong>Needs analysis</strong>: who needs to learn what, and why.</li>"
            "<li><strong>Design</strong>: objectives, content, methods, assessment.</li>"
            "<li><strong>Development</strong>: materials, exercises, case studies.</li>"
            "<li><strong>Delivery</strong>: the sessions themselves.</li>"
            "<li><strong>Evaluation</strong>: reaction, learning, behaviour, results.</li></ol>"
            "<p>Watch the short video, then note one training you gave and where each stage was, or "
            "was not, done.</p>",
            minutes=20,
            video=f"{LMS}/videos/tot/training-cycle",
        ),
        LessonSpec(
            "Five stages, five outputs",
            "<p>Each stage hands something concrete to the next one:</p>"
            "<table><caption>Stages and their outputs</caption>"
            "<thead><tr><th scope='col'>Stage</th><th scope='col'>Output</th></tr></thead><tbody>"
            "<tr><td>Needs analysis</td><td>A training needs assessment report</td></tr>"
            "<tr><td>Design</td><td>A course outline with learning objectives</td></tr>"
            "<tr><td>Development</td><td>Trainer's handbook, slides, exercises</td></tr>"
            "<tr><td>Delivery</td><td>Attendance, observations, participants' work</td></tr>"
            "<tr><td>Evaluation</td><td>An evaluation report and the changes for the next run</td></tr>"
            "</tbody></table>"
            "<p>When an output is missing, the next stage guesses. Most weak trainings can be traced "
            "back to a guess.</p>",
            minutes=10,
        ),
    ),
    "Training design": (
        LessonSpec(
            "Knowing your participants",
            "<p>Before choosing content, describe the group: their roles, what they already know, the "
            "languages they work in, and the constraints of their job (shifts at a border post, "
            "caseloads, travel).</p>"
            "<ul><li>Ask the focal point for the participants' positions and years of service.</li>"
            "<li>Send a short pre-course questionnaire.</li>"
            "<li>Plan for the group you will have, not the group you wish for.</li></ul>",
            minutes=15,
        ),
        LessonSpec(
            "From needs to a course outline",
            "<p>A course outline lists, for each session: the objective, the content, the method, the "
            "time and the materials. Start from the end: what must participants be able to do on the "
            "last day? Then sequence backwards, with realistic timing and breaks.</p>"
            "<blockquote>Rule of thumb: no more than 20 minutes of input before participants do "
            "something with it.</blockquote>",
            minutes=20,
        ),
    ),
    "Learning objectives": (
        LessonSpec(
            "Writing objectives that can be observed",
            "<p>A learning objective says what participants will be able to <em>do</em>, so that you "
            "can see whether they can. Use a verb you could observe: <em>explain, identify, draft, "
            "interview, refer</em>, not <em>understand</em> or <em>know</em>.</p>"
            "<p>Example: “By the end of the session, participants can identify three indicators of "
            "trafficking in a simulated border interview.”</p>"
            "<p>Then align: every objective needs content that teaches it, a method that practises it "
            "and an assessment that checks it.</p>",
            minutes=25,
            video=f"{LMS}/videos/tot/learning-objectives",
        ),
    ),
    "Principles of adult learning": (
        LessonSpec(
            "How adults learn",
            "<p>Adults learn best when the content solves a problem they have at work, when they can "
            "use their own experience, and when they practise rather than listen.</p>"
            "<p>The <strong>experiential learning cycle</strong>: a concrete experience, reflection on "
            "it, a concept that explains it, and trying the concept out in a new situation.</p>"
            "<p>Participants in migration administrations bring years of cases: build on them, and "
            "keep the room safe for talking about difficult ones.</p>",
            minutes=20,
            video=f"{LMS}/videos/tot/adult-learning",
        ),
    ),
    "Delivery and methods": (
        LessonSpec(
            "Choosing participatory methods",
            "<p>Choose the method from the objective:</p>"
            "<ul><li>knowledge: short input, quiz, case reading;</li>"
            "<li>skills: demonstration, role play, simulation with feedback;</li>"
            "<li>attitudes: discussion of real cases, testimonies, reflection.</li></ul>"
            "<p>Vary the methods every 20–30 minutes and plan how you will give instructions: what, "
            "who with whom, how long, what to bring back.</p>",
            minutes=20,
        ),
    ),
    "Evaluation and closing": (
        LessonSpec(
            "Four levels of evaluation",
            "<p>Evaluation answers four questions, from the day of the training to months later:</p>"
            "<ol><li><strong>Reaction</strong>: did participants find it useful?</li>"
            "<li><strong>Learning</strong>: can they do what the objectives say?</li>"
            "<li><strong>Behaviour</strong>: do they do it at work?</li>"
            "<li><strong>Results</strong>: did the service improve?</li></ol>"
            "<p>Close every session by summarising what was learnt and asking each participant how "
            "they will use it next week. Then take the quiz of this module (pass mark 80 %).</p>",
            minutes=20,
        ),
    ),
}

TOT_V2_LESSONS: dict[str, tuple[LessonSpec, ...]] = {
    "Delivery and methods": (
        LessonSpec(
            "Delivering online and blended sessions",
            "<p>Online sessions need shorter blocks, more interaction and a co-host who watches the "
            "chat. Plan a task every 10 minutes, test the links and breakout rooms beforehand, and "
            "send the materials in advance for participants with a slow connection.</p>",
            minutes=15,
            video=f"{LMS}/videos/tot/online-delivery",
        ),
    ),
}

AWARD_LESSONS: dict[str, tuple[LessonSpec, ...]] = {
    "Planning training for migration authorities": (
        LessonSpec(
            "The award and how it is assessed",
            "<p>The Award in Training for Migration Practitioners is worth 2 ECTS at MQF level 5: 18 "
            "contact hours in Valletta, 29 hours of preparation like this one, and 3 hours of "
            "assessment.</p>"
            "<p>You are assessed on three pillars: attendance (all four days), your written training "
            "plan, and a practical session you deliver to your peers, observed by a certified "
            "trainer.</p>",
            minutes=15,
        ),
        LessonSpec(
            "Planning training with the partner authority",
            "<p>A training plan starts from the authority's needs, not from the trainer's favourite "
            "topic. Agree with your management on the target group, the objectives and how results "
            "will be followed up.</p>"
            "<p>Bring to Valletta a one-page plan for a training you will give in the next six "
            "months.</p>",
            minutes=30,
            video=f"{LMS}/videos/award/planning",
        ),
        LessonSpec(
            "Preparing your practical assessment",
            "<p>On day 3 or 4 you deliver a 20-minute session to your peers. Choose a topic from your "
            "daily work, write two objectives, and prepare one participatory activity. The observer "
            "uses the rubric in the award handbook.</p>",
            minutes=20,
        ),
        LessonSpec(
            "مقدمة الوحدة باللغة العربية",
            "<p>تهدف هذه الوحدة إلى مساعدتك على تخطيط تدريب يلبي احتياجات مؤسستك. اقرأ دليل المشارك، "
            "ثم أعدّ خطة تدريب من صفحة واحدة لتدريب ستقدمه خلال الأشهر الستة المقبلة، وأحضرها معك إلى "
            "فاليتا.</p>",
            minutes=10,
        ),
    ),
}

SCORM_MODULE = "Evaluation and closing"  # the ToT module that gets the quiz
SCORM_TITLE = "Check your knowledge: evaluation and closing"
SCORM_ZIP_NAME = "tot-evaluation-quiz-scorm12.zip"
SCORM_SCO = "quiz"
SCORM_MASTERY = 80

_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="capdev-demo-tot-evaluation-quiz" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="tot-quiz">
    <organization identifier="tot-quiz">
      <title>{SCORM_TITLE}</title>
      <item identifier="{SCORM_SCO}" identifierref="quiz-resource">
        <title>Quiz: the four levels of evaluation</title>
        <adlcp:masteryscore>{SCORM_MASTERY}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="quiz-resource" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="quiz.js"/><file href="quiz.css"/>
    </resource>
  </resources>
</manifest>
"""

_QUESTIONS = (
    (
        "Participants say the training was useful. Which level of evaluation is that?",
        ("Reaction", "Learning", "Results"),
        0,
    ),
    (
        "Six months later, officers refer presumed victims correctly. Which level is that?",
        ("Learning", "Behaviour", "Reaction"),
        1,
    ),
    (
        "Which is an observable learning objective?",
        (
            "Participants understand the asylum procedure.",
            "Participants know the referral mechanism.",
            "Participants can draft a referral form for a simulated case.",
        ),
        2,
    ),
    (
        "What should close every session?",
        (
            "A summary and each participant's plan to use what was learnt.",
            "A long list of further reading.",
            "A new topic, to keep the energy up.",
        ),
        0,
    ),
    (
        "Which question does the results level answer?",
        (
            "Did participants enjoy the session?",
            "Did the service improve?",
            "Did participants pass the quiz?",
        ),
        1,
    ),
)


def _quiz_html() -> str:
    items = []
    for n, (question, options, _answer) in enumerate(_QUESTIONS, start=1):
        choices = "".join(
            f'<label><input type="radio" name="q{n}" value="{i}" required> {text}</label>'
            for i, text in enumerate(options)
        )
        items.append(f"<fieldset><legend>{n}. {question}</legend>{choices}</fieldset>")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{SCORM_TITLE}</title>"
        '<link rel="stylesheet" href="quiz.css"><script src="quiz.js" defer></script></head>'
        f"<body><main><h1>{SCORM_TITLE}</h1>"
        f"<p>Five questions. You pass with {SCORM_MASTERY} % (four right answers); you may try again.</p>"
        '<form id="quiz">' + "".join(items) + '<button type="submit">Submit my answers</button></form>'
        '<p id="result" role="status" aria-live="polite"></p></main></body></html>\n'
    )


def _quiz_js() -> str:
    answers = ",".join(str(answer) for _q, _o, answer in _QUESTIONS)
    return """// SCORM 1.2 quiz: finds the LMS's API object in a parent window (SCORM 1.2 RTE 3.3.6.1).
(function () {
  "use strict";
  var ANSWERS = [__ANSWERS__];
  var started = Date.now();
  function findAPI(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function sessionTime() {
    var s = Math.round((Date.now() - started) / 1000);
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }
  if (api) {
    api.LMSInitialize("");
    if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("quiz");
    var result = document.getElementById("result");
    if (!api) { result.textContent = "No learning platform found: your answers will not be recorded."; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var right = 0;
      ANSWERS.forEach(function (answer, i) {
        var picked = form.querySelector('input[name="q' + (i + 1) + '"]:checked');
        if (picked && Number(picked.value) === answer) { right += 1; }
      });
      var score = Math.round(100 * right / ANSWERS.length);
      var passed = score >= __MASTERY__;
      result.textContent = "Your score: " + score + " %. " + (passed ? "Passed." : "Not yet: try again.");
      if (api) {
        api.LMSSetValue("cmi.core.score.min", "0");
        api.LMSSetValue("cmi.core.score.max", "100");
        api.LMSSetValue("cmi.core.score.raw", String(score));
        api.LMSSetValue("cmi.core.lesson_status", passed ? "passed" : "failed");
        api.LMSSetValue("cmi.core.session_time", sessionTime());
        api.LMSSetValue("cmi.core.exit", "");
        api.LMSCommit("");
        if (passed) { api.LMSFinish(""); api = null; }
      }
    });
  });
  window.addEventListener("beforeunload", function () { if (api) { api.LMSFinish(""); } });
})();
""".replace("__ANSWERS__", answers).replace("__MASTERY__", str(SCORM_MASTERY))


_QUIZ_CSS = """body{font-family:system-ui,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#212529}
main{max-width:42rem;margin:0 auto}
fieldset{border:1px solid #ced4da;border-radius:.375rem;margin:0 0 1rem;padding:.75rem}
legend{font-weight:600;padding:0 .25rem}
label{display:block;padding:.25rem 0}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#0d6efd;color:#fff}
button:focus{outline:3px solid #86b7fe;outline-offset:2px}
#result{font-weight:600}
"""


def scorm_package() -> bytes:
    """The demo's SCORM 1.2 quiz as a zip, identical on every call."""
    files = (
        ("imsmanifest.xml", _MANIFEST),
        ("index.html", _quiz_html()),
        ("quiz.js", _quiz_js()),
        ("quiz.css", _QUIZ_CSS),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2022, 5, 2, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def add_lessons(version: Any, lessons: dict[str, tuple[LessonSpec, ...]]) -> int:
    """Write `lessons` into the modules of the draft `version` that carry those titles (modules
    of its online self-paced part); return how many were written."""
    from capdev.catalogue.models import Module
    from capdev.learning.services import create_lesson

    modules = {m.title: m for m in Module.objects.filter(version=version)}
    written = 0
    for title, specs in lessons.items():
        module = modules.get(title)
        if module is None:
            continue
        for spec in specs:
            create_lesson(
                module,
                actor=None,
                title=spec.title,
                body=spec.body,
                video_url=spec.video,
                estimated_minutes=spec.minutes,
            )
            written += 1
    return written


def add_scorm_package(version: Any) -> Any:
    """Upload the quiz on the ToT's "Evaluation and closing" module of the draft `version`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from capdev.catalogue.models import Module
    from capdev.learning.services import upload_scorm_package

    module = Module.objects.filter(version=version, title=SCORM_MODULE).first()
    if module is None:
        return None
    upload = SimpleUploadedFile(SCORM_ZIP_NAME, scorm_package(), content_type="application/zip")
    return upload_scorm_package(module, actor=None, upload=upload)
