<?php
// Drives the gateway with PHP's PDO pgsql (Debian php-pgsql) and prints one JSON line per result, so
// test/clients/scripting.test.ts can compare them with the PostgreSQL twin.
// Usage: php pdo_probe.php URL SCENARIO
//   laravel: the catalog queries Laravel 11's PostgresGrammar runs (compileTables without sizes,
//            compileColumns), and PDOStatement::getColumnMeta on a query
//   params:  named parameters through native (server-side) prepares and through emulated prepares
//   cursor:  PDO::CURSOR_SCROLL, which pdo_pgsql runs as DECLARE ... SCROLL CURSOR WITH HOLD + FETCH NEXT,
//            then FETCH ABSOLUTE 3 (refused by the gateway: its cursors read forward only)

const LARAVEL_TABLES = "select c.relname as name, n.nspname as schema, obj_description(c.oid, 'pg_class') as comment "
    . "from pg_class c, pg_namespace n where c.relkind in ('r', 'p') and n.oid = c.relnamespace "
    . "and n.nspname not in ('pg_catalog', 'information_schema') order by c.relname";
const LARAVEL_COLUMNS = "select a.attname as name, t.typname as type_name, format_type(a.atttypid, a.atttypmod) as type, "
    . "(select tc.collcollate from pg_catalog.pg_collation tc where tc.oid = a.attcollation) as collation, "
    . "not a.attnotnull as nullable, "
    . "(select pg_get_expr(adbin, adrelid) from pg_attrdef where c.oid = pg_attrdef.adrelid and pg_attrdef.adnum = a.attnum) as default, "
    . "col_description(c.oid, a.attnum) as comment "
    . "from pg_attribute a, pg_class c, pg_type t, pg_namespace n "
    . "where c.relname = ? and n.nspname = ? and a.attnum > 0 and a.attrelid = c.oid and a.atttypid = t.oid "
    . "and n.oid = c.relnamespace order by a.attnum";
const AGGREGATE = "SELECT country, count(*) AS n, min(__time) AS first_seen, max(latency_ms) AS l FROM events "
    . "WHERE status = :status AND device = :device GROUP BY country ORDER BY n DESC, country LIMIT 3";
const SCAN = "SELECT user_id, bytes FROM events ORDER BY __time, user_id LIMIT 40";

function emit(string $kind, array $fields): void {
    echo json_encode(['kind' => $kind] + $fields, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}

function connect(string $url): PDO {
    $u = parse_url($url);
    $dsn = sprintf('pgsql:host=%s;port=%d;dbname=%s;sslmode=disable', $u['host'], $u['port'] ?? 5432, ltrim($u['path'], '/'));
    return new PDO($dsn, urldecode($u['user'] ?? ''), urldecode($u['pass'] ?? ''), [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
}

function aggregate(PDO $pdo, int $status, string $device): array {
    $st = $pdo->prepare(AGGREGATE);
    $st->bindValue(':status', $status, PDO::PARAM_INT);
    $st->bindValue(':device', $device);
    $st->execute();
    return $st->fetchAll(PDO::FETCH_NUM);
}

[, $url, $scenario] = $argv;
$pdo = connect($url);
switch ($scenario) {
    case 'laravel':
        emit('tables', ['rows' => $pdo->query(LARAVEL_TABLES)->fetchAll(PDO::FETCH_ASSOC)]);
        $columns = $pdo->prepare(LARAVEL_COLUMNS);
        foreach (['events', 'Koalas to the Max'] as $table) {
            $columns->execute([$table, 'public']);
            emit('columns', ['table' => $table, 'rows' => $columns->fetchAll(PDO::FETCH_ASSOC)]);
        }
        $st = $pdo->query('SELECT __time, country, status, latency_ms, count(*) OVER () AS total FROM events LIMIT 1');
        $meta = [];
        for ($i = 0; $i < $st->columnCount(); $i++) {
            $m = $st->getColumnMeta($i);
            // pgsql:table_oid is the table's OID, which differs between any two databases.
            unset($m['pgsql:table_oid']);
            $meta[] = $m;
        }
        emit('column_meta', ['columns' => $meta]);
        break;
    case 'params':
        $pdo->setAttribute(PDO::ATTR_EMULATE_PREPARES, false);
        emit('native', ['rows' => aggregate($pdo, 404, 'mobile')]);
        emit('native_again', ['rows' => aggregate($pdo, 200, 'desktop')]);
        $pdo->setAttribute(PDO::ATTR_EMULATE_PREPARES, true);
        emit('emulated', ['rows' => aggregate($pdo, 404, 'mobile')]);
        $st = $pdo->prepare('SELECT count(*) FROM events WHERE country = ? AND status IN (?, ?)');
        $st->execute(['Germany', 200, 404]);
        emit('positional', ['value' => $st->fetchColumn()]);
        break;
    case 'cursor':
        $st = $pdo->prepare(SCAN, [PDO::ATTR_CURSOR => PDO::CURSOR_SCROLL]);
        $st->execute();
        $rows = [];
        while (($row = $st->fetch(PDO::FETCH_NUM, PDO::FETCH_ORI_NEXT)) !== false) $rows[] = $row;
        emit('cursor', ['rows' => $rows]);
        try {
            emit('absolute', ['row' => $st->fetch(PDO::FETCH_NUM, PDO::FETCH_ORI_ABS, 3)]);
        } catch (PDOException $e) {
            emit('absolute', ['sqlstate' => $e->getCode(), 'message' => $e->errorInfo[2]]);
        }
        break;
    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}
