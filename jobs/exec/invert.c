/*
 * invert: flips every bit of fixed-size byte blocks, for marvelo executable jobs (a `codec: bytes` pipe).
 *
 *   invert --size N [--head [--head-size B]] -i IN -o OUT
 *
 * Reads blocks of N bytes from IN and writes each one inverted to OUT. With --head each block is
 * preceded by a B-byte head (default 1), copied to the output unchanged. IN and OUT are paths
 * (pass: path) or descriptor numbers (pass: fd). The input's end ends the program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(const char *why) {
  fprintf(stderr, "invert: %s\nusage: invert --size N [--head [--head-size B]] -i IN -o OUT\n", why);
  exit(2);
}

static FILE *open_stream(const char *arg, const char *mode) {
  const char *p = arg;
  while (*p >= '0' && *p <= '9') p++;
  FILE *f = (*arg != '\0' && *p == '\0') ? fdopen(atoi(arg), mode) : fopen(arg, mode);
  if (f == NULL) {
    fprintf(stderr, "invert: cannot open %s: %s\n", arg, strerror(errno));
    exit(1);
  }
  return f;
}

int main(int argc, char **argv) {
  long size = 0, head_size = 0;
  int head = 0;
  const char *in_arg = NULL, *out_arg = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--head") == 0) { head = 1; continue; }
    if (i + 1 >= argc) usage("a flag needs a value");
    const char *v = argv[++i];
    if (strcmp(a, "--size") == 0) size = atol(v);
    else if (strcmp(a, "--head-size") == 0) head_size = atol(v);
    else if (strcmp(a, "-i") == 0) in_arg = v;
    else if (strcmp(a, "-o") == 0) out_arg = v;
    else usage("unknown argument");
  }
  if (size < 1 || in_arg == NULL || out_arg == NULL) usage("missing argument");
  if (head && head_size == 0) head_size = 1;
  if (head_size < 0 || head_size > 4) usage("--head-size needs 1 to 4");

  FILE *in = open_stream(in_arg, "rb");
  FILE *out = open_stream(out_arg, "wb");
  unsigned char *block = malloc((size_t)(head_size + size));
  if (block == NULL) usage("out of memory");
  while (fread(block, 1, (size_t)(head_size + size), in) == (size_t)(head_size + size)) {
    for (long k = head_size; k < head_size + size; k++) block[k] = (unsigned char)~block[k];
    fwrite(block, 1, (size_t)(head_size + size), out);
    if (fflush(out) != 0) {
      fprintf(stderr, "invert: cannot write %s: %s\n", out_arg, strerror(errno));
      return 1;
    }
  }
  return fclose(out) == 0 ? 0 : 1;
}
