// The scan station: a sound per answer, the input kept in focus for the next scan, and
// camera scanning through the browser's BarcodeDetector where the browser has one.
(function () {
  const sounds = { ok: new Audio(document.body.dataset.okSound), bad: new Audio(document.body.dataset.refusedSound) };
  const input = () => document.getElementById("scan");
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const panel = event.target.querySelector(".panel");
    if (panel) {
      const sound = panel.classList.contains("ok") ? sounds.ok : sounds.bad;
      sound.currentTime = 0;
      sound.play().catch(() => {});
    }
    const field = input();
    if (field) { field.value = ""; field.focus(); }
  });
  const button = document.getElementById("camera");
  if (!button) return;
  const video = document.getElementById("camera-view");
  const submit = (text) => { input().value = text; input().form.requestSubmit(); };
  if ("BarcodeDetector" in window) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const detector = new BarcodeDetector({ formats: ["data_matrix", "qr_code", "code_128"] });
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.hidden = false;
      video.srcObject = stream;
      await video.play();
      const look = async () => {
        const found = await detector.detect(video);
        if (found.length) {
          stream.getTracks().forEach((track) => track.stop());
          video.hidden = true;
          submit(found[0].rawValue);
          return;
        }
        requestAnimationFrame(look);
      };
      look();
    });
  } else if (typeof ZXing !== "undefined" && navigator.mediaDevices) {
    // Browsers without BarcodeDetector: the vendored zxing-js decoder reads the camera.
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
  }
})();
