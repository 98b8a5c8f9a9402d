// The scan station: a sound for every answer, the scan field cleared and focused for the
// next scan, and camera scanning on phones (the browser's BarcodeDetector, else the vendored
// zxing-js decoder, else a note). Camera access needs HTTPS (or localhost).
(function () {
  "use strict";
  const sources = document.getElementById("station-sounds").dataset;
  const sounds = { ok: new Audio(sources.ok), refused: new Audio(sources.refused) };
  const field = () => document.getElementById("scan");

  // The field empties as soon as a scan is sent, so the next scan can be typed while the
  // answer is on its way; a second Enter on the same scan then sends nothing (the field is
  // required). The key for the next scan comes with each answer.
  document.body.addEventListener("htmx:beforeSend", (event) => {
    if (event.detail.elt.id === "scan-form") {
      field().value = "";
      const weighed = document.getElementById("weighed");
      if (weighed) weighed.value = "";
    }
  });

  document.body.addEventListener("htmx:afterSettle", () => {
    const panel = document.querySelector(".panel[data-result]:not([data-played])");
    if (panel) {
      panel.dataset.played = "1";
      const sound = sounds[panel.dataset.result] || sounds.refused;
      sound.currentTime = 0;
      sound.play().catch(() => {}); // a browser may refuse sound before the first touch
    }
    if (document.activeElement !== document.getElementById("quantity")) field().focus();
  });

  const button = document.getElementById("camera");
  const note = document.getElementById("camera-note");
  const video = document.getElementById("camera-view");
  const submit = (text) => {
    field().value = text;
    document.getElementById("scan-form").requestSubmit();
  };
  const camera = () =>
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  const stop = (stream) => {
    stream.getTracks().forEach((track) => track.stop());
    video.hidden = true;
  };

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    note.hidden = false;
  } else if ("BarcodeDetector" in window) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const detector = new BarcodeDetector({ formats: ["data_matrix", "qr_code", "code_128"] });
      const stream = await camera();
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      const look = async () => {
        const found = await detector.detect(video).catch(() => []);
        if (found.length) {
          stop(stream);
          submit(found[0].rawValue);
        } else {
          requestAnimationFrame(look);
        }
      };
      look();
    });
  } else if (typeof ZXing !== "undefined") {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const reader = new ZXing.BrowserMultiFormatReader();
      video.hidden = false;
      try {
        const result = await reader.decodeOnceFromVideoDevice(undefined, video);
        submit(result.getText());
      } finally {
        reader.reset();
        video.hidden = true;
      }
    });
  } else {
    note.hidden = false;
  }
})();
