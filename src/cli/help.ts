/** The help text. */
export const HELP = `godwit: database migrations that never stop the service

Usage: godwit <command> [options]

Commands:
  up        apply pending migrations            [--to V] [--step N] [--phase pre|post|all] [--dry-run]
  down      revert applied migrations (1 step)  [--to V | --step N | --all] [--dry-run]
  redo      revert the newest migration and apply it again
  status    show every migration's state        [--exit-code]
  history   show the history table and audit log
  validate  check the files (and the history, when a database is configured)
  new       create a migration file             <name> [--seq | --timestamp] [--ts]
  hash      rewrite godwit.sum for the folder
  baseline  mark migrations up to V applied without running them   <version>
  repair    resolve a partial migration or a deliberate edit
            <version> --retry-from N | --applied | --forget | --accept-checksum
  wait      wait until migrations are applied (app pod gate; no lock, read-only)
            [--phase pre] [--version V] [--timeout 10m]
  lock      lock status | lock release
  lint      lint migrations for unsafe or broken changes
            [paths...] [--since REF] [--format text|json|github|sarif] [--dialect postgres|mysql|sqlite]
  check     replay the folder in a throwaway database (up, down, up)   [--dev-url URL]
            PostgreSQL: embedded PGlite; SQLite: a temp file; MySQL/MariaDB: --dev-url mysql://host/
  k8s       print Kubernetes manifests          initcontainer|job|helm|argocd|kustomize [--out DIR]

Options (each also from env GODWIT_<NAME> and from godwit.config.json|yaml):
  -d, --database URL        postgres://, mysql://, mariadb://, sqlite:path.db, sqlite::memory:
                            (env GODWIT_DATABASE_URL, then DATABASE_URL; default sqlite:./godwit.db)
      --dir DIR             migrations folder (env GODWIT_DIR; default ./migrations)
      --table NAME          history table, [schema.]name (default godwit_migrations)
      --config FILE         config file (default godwit.config.json|.yaml in the working directory)
      --json                machine output: one JSON document, or JSON lines for streams
      --lock-mode MODE      session (default) | lease (for PgBouncer transaction pooling)
      --lock-timeout D      wait for another run's lock at most D (default 15m)
      --lease-ttl D         lease lifetime without heartbeat (default 30s)
      --ddl-lock-timeout D  per-statement table lock wait (default 5s; 0 disables)
      --ddl-retries N       retries after a DDL lock timeout (default 5)
      --connect-timeout D   keep retrying to connect for D (default 60s)
      --shutdown-grace D    after SIGTERM, let a running migration finish for D (default 20s)
      --allow-out-of-order  apply pending migrations below the newest applied one
      --strict              a database ahead of the files is an error (exit 6)
      --no-color            no colour (colour is used on a terminal only)
  -h, --help                this help;  --version  print the version

Exit codes: 0 ok (also nothing to do), 1 a migration failed and was rolled back, 2 bad input or
configuration, 3 database unreachable, 4 timed out, 5 a partial migration needs resolution,
6 history does not match the files, 130/143 interrupted by SIGINT/SIGTERM after a clean rollback.
`;
