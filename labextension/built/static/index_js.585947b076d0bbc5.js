"use strict";
(self["rspackChunkdescent_feedback_notice"] = self["rspackChunkdescent_feedback_notice"] || []).push([["index_js"], {
"./index.js"(__unused_rspack_module, __webpack_exports__, __webpack_require__) {
__webpack_require__.r(__webpack_exports__);
__webpack_require__.d(__webpack_exports__, {
  "default": () => (__rspack_default_export)
});
/*
 * Descent's notice in JupyterLab: feedback on one of your submissions is ready to fetch.
 *
 * It reads what nbgrader's Assignments panel reads (GET <server>/assignments, nbgrader's own server
 * extension): for each submission, whether the exchange holds its feedback and whether you have
 * fetched it. Feedback there and not fetched yet gets one notification, with a button that opens the
 * Assignments panel. A submission is announced once: the ones announced are remembered in this
 * browser (localStorage), so a reload or a second tab does not announce it again.
 *
 * It asks every 10 s while the Assignments panel is open or a submission of the last 15 minutes
 * waits for feedback, every 60 s otherwise, and never without the Assignments panel (a JupyterLab
 * with no nbgrader exchange, such as the course's own on a laptop) or once the server says it has
 * no assignment list or no exchange. It changes nothing on the server and computes no grade.
 */

const PANEL_COMMAND = 'nbgrader:open-assignment-list';
const PANEL_ID = 'nbgrader-assignment-list';
const QUICK_SECONDS = 10;
const SLOW_SECONDS = 60;
const RECENT_SECONDS = 15 * 60;
const REMEMBERED = 200;

/** Feedback in the exchange that this student has not fetched (or that changed since). */
function feedbackReady(submission) {
  return submission.has_exchange_feedback && (!submission.has_local_feedback || submission.feedback_updated);
}

/** The submitted assignments the panel lists, or 'off' when there is no list to ask for. */
async function submittedAssignments(settings) {
  // An empty course_id: nbgrader lists the course its configuration names (all of them if none).
  const url = new URL('assignments?course_id=', settings.baseUrl).href;
  const headers = settings.token ? { Authorization: `token ${settings.token}` } : {};
  // Called as JupyterLab's own requests call it: the browser's fetch refuses `settings` as its `this`.
  const reply = await settings.fetch.call(null, url, { ...settings.init, cache: 'no-store', headers });
  if (reply.status === 404) {
    return 'off';
  }
  if (!reply.ok) {
    throw new Error(`GET /assignments: ${reply.status}`);
  }
  const listing = await reply.json();
  if (!listing.success) {
    return 'off';
  }
  return listing.value.filter(assignment => assignment.status === 'submitted');
}

class Announcements {
  constructor(baseUrl) {
    this.key = `descent-feedback-notice:${baseUrl}`;
  }

  read() {
    try {
      return JSON.parse(window.localStorage.getItem(this.key)) || [];
    } catch {
      return [];
    }
  }

  add(ids) {
    try {
      window.localStorage.setItem(this.key, JSON.stringify([...this.read(), ...ids].slice(-REMEMBERED)));
    } catch {
      // No storage (a private window that refuses it): announced again after a reload.
    }
  }
}

function announce(app, assignmentId) {
  const canOpenPanel = app.commands.hasCommand(PANEL_COMMAND);
  return app.commands.execute('apputils:notify', {
    message: `Feedback on ${assignmentId} is ready: open the Assignments panel and press Fetch Feedback.`,
    type: 'info',
    options: {
      autoClose: false,
      actions: canOpenPanel
        ? [{ label: 'Open Assignments', commandId: PANEL_COMMAND, caption: 'Open the Assignments panel' }]
        : []
    }
  });
}

/**
 * One look at the list: announce what is newly ready. True when a recent submission still waits
 * for feedback (the next look comes soon), 'off' when there is nothing to ask.
 */
async function look(app, settings, announcements, waitingSince) {
  const assignments = await submittedAssignments(settings);
  if (assignments === 'off') {
    return 'off';
  }
  const now = Date.now();
  let recentWaiting = false;
  for (const assignment of assignments) {
    const ids = assignment.submissions.map(
      submission => `${assignment.course_id}/${assignment.assignment_id}/${submission.timestamp}`
    );
    const announced = announcements.read();
    const fresh = ids.filter((id, i) => feedbackReady(assignment.submissions[i]) && !announced.includes(id));
    if (fresh.length > 0) {
      announcements.add(fresh);
      await announce(app, assignment.assignment_id);
    }
    assignment.submissions.forEach((submission, i) => {
      if (!submission.has_exchange_feedback) {
        waitingSince.set(ids[i], waitingSince.get(ids[i]) ?? now);
        recentWaiting ||= now - waitingSince.get(ids[i]) < RECENT_SECONDS * 1000;
      }
    });
  }
  return recentWaiting;
}

const plugin = {
  id: 'descent-feedback-notice:plugin',
  description: 'Tells the student when feedback on a submission is ready in the Assignments panel.',
  autoStart: true,
  activate: app => {
    const settings = app.serviceManager.serverSettings;
    const announcements = new Announcements(settings.baseUrl);
    const waitingSince = new Map();
    const pause = seconds => new Promise(resolve => setTimeout(resolve, seconds * 1000));
    const watch = async () => {
      await app.restored;
      if (!app.commands.hasCommand(PANEL_COMMAND)) {
        return;
      }
      // A tick every QUICK_SECONDS: a look when the panel is open (a student may submit there) or a
      // recent submission waits, else one every SLOW_SECONDS.
      let soon = false;
      let lastLook = -Infinity;
      for (;;) {
        const panelOpen = document.getElementById(PANEL_ID) !== null;
        if (soon || panelOpen || Date.now() - lastLook >= SLOW_SECONDS * 1000) {
          lastLook = Date.now();
          try {
            soon = await look(app, settings, announcements, waitingSince);
          } catch (error) {
            console.debug('descent-feedback-notice: ask again later:', error);
            soon = false; // the server restarting, the network down
          }
          if (soon === 'off') {
            return;
          }
        }
        await pause(QUICK_SECONDS);
      }
    };
    void watch();
  }
};

/* export default */ const __rspack_default_export = (plugin);


},

}]);
//# sourceMappingURL=index_js.585947b076d0bbc5.js.map