/*
 * movavg: a moving-average filter over frames of float32 samples, for marvelo executable jobs.
 *
 *   movavg --length N --window W [--head [--head-size B]] -i IN -o OUT
 *
 * Reads frames of N floats (raw little-endian, as a `codec: float32, length: N` pipe carries them; this
 * example assumes a little-endian machine) from IN and writes, per frame, N smoothed samples to OUT:
 * y[t] = mean of the last W samples x[t-W+1..t] (fewer at the very start), continuing across frames.
 * With --head each frame is preceded by a B-byte head (default 1), which is copied to the output
 * frame unchanged, so user bits pass through.
 *
 * IN and OUT are paths (ExecutableJob, pass: path) or descriptor numbers (MARVELOJob, pass: fd).
 * The input's end ends the program: it closes OUT and exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(const char *why) {
  fprintf(stderr, "movavg: %s\nusage: movavg --length N --window W [--head [--head-size B]] -i IN -o OUT\n", why);
  exit(2);
}

static long positive(const char *text, const char *what) {
  char *end;
  long v = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < 1) usage(what);
  return v;
}

/* A path, or a descriptor number (all digits). */
static FILE *open_stream(const char *arg, const char *mode) {
  const char *p = arg;
  while (*p >= '0' && *p <= '9') p++;
  FILE *f = (*arg != '\0' && *p == '\0') ? fdopen(atoi(arg), mode) : fopen(arg, mode);
  if (f == NULL) {
    fprintf(stderr, "movavg: cannot open %s: %s\n", arg, strerror(errno));
    exit(1);
  }
  return f;
}

int main(int argc, char **argv) {
  long length = 0, window = 0, head_size = 0;
  int head = 0;
  const char *in_arg = NULL, *out_arg = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--head") == 0) { head = 1; continue; }
    if (next == NULL) usage("a flag needs a value");
    if (strcmp(a, "--length") == 0) length = positive(next, "--length needs a number >= 1");
    else if (strcmp(a, "--window") == 0) window = positive(next, "--window needs a number >= 1");
    else if (strcmp(a, "--head-size") == 0) head_size = positive(next, "--head-size needs 1 to 4");
    else if (strcmp(a, "-i") == 0) in_arg = next;
    else if (strcmp(a, "-o") == 0) out_arg = next;
    else usage("unknown argument");
    i++;
  }
  if (length == 0 || window == 0 || in_arg == NULL || out_arg == NULL) usage("missing argument");
  if (head && head_size == 0) head_size = 1;
  if (head_size > 4) usage("--head-size needs 1 to 4");

  FILE *in = open_stream(in_arg, "rb");
  FILE *out = open_stream(out_arg, "wb");
  float *frame = malloc(sizeof(float) * (size_t)length);
  float *history = calloc((size_t)window, sizeof(float));
  if (frame == NULL || history == NULL) usage("out of memory");
  unsigned char head_bytes[4];
  double sum = 0;
  long seen = 0;

  for (;;) {
    if (head_size > 0 && fread(head_bytes, 1, (size_t)head_size, in) != (size_t)head_size) break;
    if (fread(frame, sizeof(float), (size_t)length, in) != (size_t)length) break;
    for (long k = 0; k < length; k++) {
      long slot = seen % window;
      sum += frame[k] - history[slot];
      history[slot] = frame[k];
      seen++;
      frame[k] = (float)(sum / (double)(seen < window ? seen : window));
    }
    if (head_size > 0) fwrite(head_bytes, 1, (size_t)head_size, out);
    fwrite(frame, sizeof(float), (size_t)length, out);
    /* One frame at a time: the next job sees each frame as soon as it is computed. */
    if (fflush(out) != 0) {
      fprintf(stderr, "movavg: cannot write %s: %s\n", out_arg, strerror(errno));
      return 1;
    }
  }
  if (ferror(in)) {
    fprintf(stderr, "movavg: cannot read %s: %s\n", in_arg, strerror(errno));
    return 1;
  }
  fprintf(stderr, "movavg: %ld samples\n", seen);
  return fclose(out) == 0 ? 0 : 1;
}
