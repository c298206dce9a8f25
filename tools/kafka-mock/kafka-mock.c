/*
 * A Kafka test broker: librdkafka's in-process mock cluster, driven over stdin/stdout.
 *
 * Prints `READY <bootstrap servers>` once the cluster listens, then answers each command line
 * with `OK` or `ERR <reason>`:
 *   topic <name> <partitions> <replication>   create a topic (the mock does not answer CreateTopics)
 *   down <brokerId> | up <brokerId>           refuse / accept connections (-1 = all brokers)
 *   leader <topic> <partition> <brokerId>     move a partition's leader (the mock never elects one)
 *   errors <apiKey> <count> <errcode>...      the next <count> requests of that api fail with these codes
 *   rtt <brokerId> <ms>                       delay the broker's responses
 *   quit                                      stop; closing stdin does the same
 *
 * Build: cc -O2 -o build/kafka-mock tools/kafka-mock/kafka-mock.c -lrdkafka
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ERRORS 64

static void reply(rd_kafka_resp_err_t err) {
  if (err) printf("ERR %s\n", rd_kafka_err2str(err));
  else printf("OK\n");
}

static int parse_int(const char *s, long *out) {
  char *end;
  if (!s) return 0;
  errno = 0;
  *out = strtol(s, &end, 10);
  return errno == 0 && end != s && *end == '\0';
}

static void handle(rd_kafka_mock_cluster_t *mc, char *line) {
  char *argv[4 + MAX_ERRORS];
  int argc = 0;
  for (char *tok = strtok(line, " \t\r\n"); tok && argc < (int)(sizeof argv / sizeof *argv);
       tok = strtok(NULL, " \t\r\n"))
    argv[argc++] = tok;
  if (argc == 0) {
    printf("ERR empty command\n");
    return;
  }
  const char *cmd = argv[0];
  long a, b, c;
  if (!strcmp(cmd, "topic") && argc == 4 && parse_int(argv[2], &a) && parse_int(argv[3], &b)) {
    reply(rd_kafka_mock_topic_create(mc, argv[1], (int)a, (int)b));
  } else if (!strcmp(cmd, "down") && argc == 2 && parse_int(argv[1], &a)) {
    reply(rd_kafka_mock_broker_set_down(mc, (int32_t)a));
  } else if (!strcmp(cmd, "up") && argc == 2 && parse_int(argv[1], &a)) {
    reply(rd_kafka_mock_broker_set_up(mc, (int32_t)a));
  } else if (!strcmp(cmd, "leader") && argc == 4 && parse_int(argv[2], &a) && parse_int(argv[3], &b)) {
    reply(rd_kafka_mock_partition_set_leader(mc, argv[1], (int32_t)a, (int32_t)b));
  } else if (!strcmp(cmd, "rtt") && argc == 3 && parse_int(argv[1], &a) && parse_int(argv[2], &b)) {
    reply(rd_kafka_mock_broker_set_rtt(mc, (int32_t)a, (int)b));
  } else if (!strcmp(cmd, "errors") && argc >= 4 && parse_int(argv[1], &a) && parse_int(argv[2], &b) &&
             b > 0 && b <= MAX_ERRORS) {
    rd_kafka_resp_err_t errs[MAX_ERRORS];
    /* Fewer codes than <count>: the last code repeats. */
    for (long i = 0; i < b; i++) {
      int idx = 3 + (int)(i < argc - 3 ? i : argc - 4);
      if (!parse_int(argv[idx], &c)) {
        printf("ERR bad error code %s\n", argv[idx]);
        return;
      }
      errs[i] = (rd_kafka_resp_err_t)c;
    }
    rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)b, errs);
    printf("OK\n");
  } else {
    printf("ERR unknown or malformed command: %s\n", cmd);
  }
}

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  if (brokers < 1) brokers = 1;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The mock cluster needs a client handle for its bookkeeping; this one never produces. */
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("READY %s\n", rd_kafka_mock_cluster_bootstraps(mc));

  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    if (!strncmp(line, "quit", 4)) {
      printf("OK\n");
      break;
    }
    handle(mc, line);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
