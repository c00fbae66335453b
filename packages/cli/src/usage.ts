// What `wardwatch help` prints: every command and flag, with the environment variables that stand in
// for them. args.ts parses what this describes; args.test.ts holds the two to the same flags.

export const USAGE = `Usage: wardwatch <command> [options]

Commands:
  start        run the whole pipeline in one process (in-process bus, SQLite, dashboard)
  processor    consume telemetry from Kafka, write rollups to the store, publish statuses
  server       serve the API, live stream, ingest and dashboard from Kafka and the store
  simulate     send a simulated trust's telemetry to Kafka (--kafka)
  rules        write Prometheus recording and alerting rules for the SLOs (--out FILE, --slo-file FILE)
  token        issue an ingest token for one device (--device ID --site ID --trust ID) or every
               device of a site (--site ID [--trust ID]): prints the token and the line to add to
               the token file (--note TEXT: a note kept on that line)
  report       the evidence pack for a trust and month: time lost in staff hours and pounds,
               logons, applications, Wi-Fi, devices, trend (--trust ID --month YYYY-MM --out FILE)
  backup       copy a SQLite store to a new file while wardwatch runs, checked (--to FILE, --store
               URL as for start); a PostgreSQL store: prints the pg_dump command for its schema

Options for start:
  --demo               run a simulated NHS trust with an injected fault (default when no data source is given)
  --no-demo            no simulator: data arrives only through ingest (POST /api/ingest, /v1/logs)
  --port N             HTTP port (default: PORT or 8080)
  --host ADDR          address to bind (default: HOST or 127.0.0.1)
  --speed N            simulated time runs N times faster than real time (default 1). A demo at
                       any other speed keeps its own store (default sqlite:.data/wardwatch-speed.db),
                       so its clock, hours ahead of the wall clock, never meets real agents' data
  --scenario NAME      fault injected into the simulated trust: ap-degraded, site-wan-congested,
                       device-slow, app-down, app-flaky, site-dns-slow, or none (default
                       site-wan-congested); it begins up to 20 minutes before the start, within the
                       backfill, so the dashboard and the alerts show it at once
  --seed N             seed of the simulated estate (default 42)
  --sites N            number of simulated sites, 80 devices each (default 12, ~1,000 devices;
                       at most 25,000 sites: 2,000,000 devices, NHS England's end-user estate)
  --backfill-hours N   simulated live data generated at start (default 1; on a first run with
                       history, from the hour the history ends at); on a restart at real time, at
                       most this much of the time the demo was stopped, sent first
  --history-months N   demo, first run: whole months of hourly site history before the current
                       one, written in the background from the simulator's model (default 3; 0: none)
  --store URL          sqlite:<path> (default: WARDWATCH_STORE, else sqlite:.data/wardwatch.db, or
                       sqlite:.data/wardwatch-speed.db for a demo with --speed other than 1) or
                       postgres://…; a real-time start refuses a store an accelerated demo has left
                       ahead of the wall clock
  --log-level LEVEL    trace, debug, info, warn, error (default info)
  --slo-file FILE      start and server: SLOs, burn-rate rules and alert notifications (YAML, see
                       docs/slo-guide.md; default: WARDWATCH_SLO_FILE, else the built-in SLOs and
                       no notifications)
  --evidence-config FILE start and server: evidence pack settings for GET /api/reports and the
                       monthly email, as report --config (YAML; default: WARDWATCH_EVIDENCE_FILE,
                       else the documented defaults)
  --inventory FILE     start and server: sites, devices (ward, model) and access points for evidence
                       packs, as report --inventory (YAML; default: the --estate file unless CSV,
                       else the devices the live status board has seen)
  --processor-threads N start: worker threads the processor runs on, the 12 telemetry partitions
                       dealt between them, or 0: on the main thread (default: a core each but one,
                       at least 1; with the demo 0 up to 1,000 simulated devices, then one per
                       100,000 devices at most; at most 12)
  --status-interval S  start and processor: re-evaluate live statuses every S seconds of event time,
                       counting the minute still filling (default one second of real time: 1, or with
                       --speed N the divisor of 60 nearest above N, at most 60 — each window end)
  --ingest-tokens FILE start and server: ingest (POST /api/ingest, /v1/logs) needs a device token listed
                       (hashed) in FILE (default: WARDWATCH_INGEST_TOKENS; none: ingest is open)
  --estate FILE        start and server: the estate register (YAML, or CSV when the name ends .csv)
                       of known sites and devices; ingest refuses others as unknown-site /
                       unknown-device (default: WARDWATCH_ESTATE; none: any site is accepted)
  --scope-cap N|off    start and server: new sites, wards and devices one token may bring per hour;
                       past it their events are refused as scope-cap (default: WARDWATCH_SCOPE_CAP,
                       else 1000 with --ingest-tokens, off on open ingest, where N caps all senders
                       together)
  --auth-config FILE   start and server: sign-in with OpenID Connect, roles and sessions (YAML, see
                       docs/security.md; default: WARDWATCH_AUTH_CONFIG; none: no sign-in, every
                       caller is the administrator, so only a loopback --host is allowed)
  --no-auth-on-network start and server: run without sign-in on a non-loopback --host anyway (you
                       accept that anyone who can reach it reads everything and silences alerts)
  --allowed-hosts LIST start and server: host names the server answers to, besides the loopback
                       names and the bound address (DNS-rebinding defence; default:
                       WARDWATCH_ALLOWED_HOSTS; .example.nhs.uk for a domain)
  --public-url URL     start and server: the address users and devices reach the server at, e.g.
                       https://wardwatch.trust.nhs.uk behind a TLS proxy (allowed host, HSTS and
                       Secure cookies when https; default: WARDWATCH_PUBLIC_URL)
  -h, --help           this text

Options for report (see docs/evidence-guide.md):
  --trust ID           the trust (required)
  --site ID            one site's pack (default: every site of the trust)
  --month YYYY-MM      the calendar month, Europe/London (required)
  --format F           html, pdf, csv or json (default: from --out's extension, else html)
  --out FILE           where to write (default: standard output; pdf needs a file)
  --config FILE        evidence settings: targets, staff mix, baseline, maintenance (YAML; default:
                       WARDWATCH_EVIDENCE_FILE, else the documented defaults)
  --inventory FILE     sites, devices (site, ward, model) and access points (YAML; default:
                       WARDWATCH_ESTATE, else sites from the store and devices unplaced)
  --store URL          as for start
  PDF: Chromium from WARDWATCH_CHROMIUM (default /usr/bin/chromium; Debian package chromium).

Options for processor, server and simulate (Kafka), besides --host, --store and --log-level as for
start; server also takes every "start and server" option above, processor --status-interval, and
simulate --seed, --scenario and --speed as for start:
  --kafka-brokers LIST host:port,… (default: KAFKA_BROKERS or 127.0.0.1:19092)
  --client-id ID       Kafka client id (default: KAFKA_CLIENT_ID or wardwatch-<command>)
  --topic-prefix P     topic name prefix (default wardwatch: wardwatch.telemetry.v1, …)
  --partitions N       telemetry and status partitions when creating topics (default 12)
  --store URL          as for start (processor and server share it)
  --port N             server: HTTP port (default 8080); processor: metrics port (default 9464)
  --kafka              simulate: required, names the destination
  --sites N            simulate: simulated sites, 80 devices each (default 12; at most 25,000)
  --minutes N          simulate: stop after N simulated minutes (default: run until stopped)
  --from ISO-TIME      simulate: simulated start time (default now)
  --shard K/N          simulate: send only the K-th of N shares of the estate's sites (sites dealt
                       round: the first to 1, the second to 2, …). N processes with the same --seed,
                       --sites, --scenario and --from, K = 1…N, send what one process sends, each
                       site's events from one of them: for estates one process cannot keep up with
  TLS and SASL: KAFKA_SSL=true, KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512),
  KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
`;
