/*
 * The machine's floor for [latency-hop]: the same 4-process chain (source -> relay -> relay -> sink)
 * in C, with blocking reads on Unix socket pairs and nothing else. The source sends its
 * CLOCK_MONOTONIC time (8 bytes) at a fixed rate on an absolute schedule; each relay passes the 8
 * bytes on; the sink records (now - sent) / hops. What remains is the kernel waking an idle process,
 * three times per block: no runtime, event loop or JIT can go below it.
 *
 *   wake-latency <rate per s> <blocks> <warmup>   ->  one JSON line: p50, p99, max (us per hop), count
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOPS 3

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <rate> <blocks> <warmup>\n", argv[0]);
    return 2;
  }
  long rate = atol(argv[1]), blocks = atol(argv[2]), warmup = atol(argv[3]);
  if (rate <= 0 || blocks <= warmup || warmup < 0) return 2;
  int links[HOPS][2];
  for (int i = 0; i < HOPS; i++)
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, links[i]) != 0) return 1;
  /* relays: read link i, write link i+1 (stopped by the sink at the end: they share every socket) */
  pid_t relays[HOPS - 1];
  for (int i = 0; i < HOPS - 1; i++) {
    if ((relays[i] = fork()) == 0) {
      uint64_t t;
      while (read_full(links[i][1], &t, sizeof t) == 0)
        if (write(links[i + 1][0], &t, sizeof t) != sizeof t) break;
      _exit(0);
    }
  }
  /* source */
  if (fork() == 0) {
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long k = 0; k < blocks; k++) {
      next.tv_nsec += 1000000000l / rate;
      while (next.tv_nsec >= 1000000000l) { next.tv_nsec -= 1000000000l; next.tv_sec++; }
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
      uint64_t t = now_ns();
      if (write(links[0][0], &t, sizeof t) != sizeof t) break;
    }
    _exit(0);
  }
  /* sink, in this process */
  double *us = malloc(sizeof(double) * (size_t)blocks);
  long n = 0;
  for (long k = 0; k < blocks; k++) {
    uint64_t t;
    if (read_full(links[HOPS - 1][1], &t, sizeof t) != 0) break;
    if (k >= warmup) us[n++] = (double)(now_ns() - t) / HOPS / 1000.0;
  }
  for (int i = 0; i < HOPS - 1; i++) kill(relays[i], SIGKILL);
  while (wait(NULL) > 0) {}
  if (n == 0) return 1;
  qsort(us, (size_t)n, sizeof(double), cmp);
  printf("{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"count\":%ld}\n", us[n / 2], us[(long)(n * 0.99)], us[n - 1], n);
  return 0;
}
