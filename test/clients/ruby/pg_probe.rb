# Drives the gateway with Ruby's pg gem (Debian ruby-pg) and prints one JSON line per result, so
# test/clients/scripting.test.ts can compare them with the PostgreSQL twin.
# Usage: ruby pg_probe.rb URL SCENARIO
#   rails:      the catalog queries Rails' PostgreSQL adapter runs (type-map load by name, table and
#               column listing with format_type/pg_get_expr/col_description)
#   typemap:    PG::BasicTypeMapForResults (loads pg_type/pg_proc) decoding a query into Ruby objects
#   params:     exec_params with $n parameters (text and binary results), prepare + exec_prepared
#   single_row: send_query + set_single_row_mode, reading one PG::Result per row
require 'json'
require 'pg'

def emit(kind, fields = {})
  puts JSON.generate({ kind: kind }.merge(fields))
  $stdout.flush
end

# Rails 7.1 PostgreSQLAdapter#load_additional_types, restricted to the names it asks for first.
RAILS_TYPES = %w[int2 int4 int8 oid float4 float8 numeric bool timestamp timestamptz text varchar bytea date].freeze
RAILS_TYPE_MAP = <<~SQL.freeze
  SELECT t.oid, t.typname, t.typelem, t.typdelim, t.typinput, r.rngsubtype, t.typtype, t.typbasetype
  FROM pg_type as t
  LEFT JOIN pg_range as r ON oid = rngtypid
  WHERE t.typname IN (#{RAILS_TYPES.map { |t| "'#{t}'" }.join(', ')})
  ORDER BY t.typname
SQL
# Rails' data_source_sql(type: 'BASE TABLE') for tables.
RAILS_TABLES = <<~SQL.freeze
  SELECT c.relname FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r','p') ORDER BY c.relname
SQL
# Rails' column_definitions(table_name).
RAILS_COLUMNS = <<~SQL.freeze
  SELECT a.attname, format_type(a.atttypid, a.atttypmod),
         pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.atttypid, a.atttypmod,
         c.collname, col_description(a.attrelid, a.attnum) AS comment,
         attidentity AS identity, attgenerated as attgenerated
    FROM pg_attribute a
    LEFT JOIN pg_attrdef d ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    LEFT JOIN pg_type t ON a.atttypid = t.oid
    LEFT JOIN pg_collation c ON a.attcollation = c.oid AND a.attcollation <> t.typcollation
   WHERE a.attrelid = $1::regclass
     AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY a.attnum
SQL
# Rails' primary_keys(table_name).
RAILS_PRIMARY_KEYS = <<~SQL.freeze
  SELECT a.attname FROM (
    SELECT indrelid, indkey, generate_subscripts(indkey, 1) idx FROM pg_index
    WHERE indrelid = $1::regclass AND indisprimary
  ) i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[i.idx]
  ORDER BY i.idx
SQL
AGGREGATE = 'SELECT country, count(*) AS n, min(__time) AS first_seen, max(latency_ms) AS l FROM events ' \
            'WHERE status = $1 AND device = $2 GROUP BY country ORDER BY n DESC, country LIMIT 3'
SCAN = 'SELECT user_id, bytes FROM events ORDER BY __time, user_id LIMIT 40'

# Times as UTC ISO strings, floats rounded: the same rendering for both servers.
def plain(value)
  case value
  when Time then value.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ')
  when Float then value.round(6)
  when Array then value.map { |v| plain(v) }
  else value
  end
end

url, scenario = ARGV
conn = PG.connect(url)
case scenario
when 'rails'
  emit('types', rows: conn.exec(RAILS_TYPE_MAP).values.map { |r| r.values_at(1, 2, 3, 4, 5, 6, 7) })
  emit('tables', rows: conn.exec(RAILS_TABLES).values)
  ['events', '"Koalas to the Max"'].each do |table|
    emit('columns', table: table, rows: conn.exec_params(RAILS_COLUMNS, [table]).values.map { |r| r.values_at(0, 1, 2, 3, 5, 6, 7, 8, 9) })
    emit('primary_keys', table: table, rows: conn.exec_params(RAILS_PRIMARY_KEYS, [table]).values)
  end
when 'typemap'
  conn.type_map_for_results = PG::BasicTypeMapForResults.new(conn)
  conn.type_map_for_queries = PG::BasicTypeMapForQueries.new(conn)
  result = conn.exec_params(AGGREGATE, [404, 'mobile'])
  emit('decoded', fields: result.fields, classes: result.values.first.map { |v| v.class.name }, rows: plain(result.values))
when 'params'
  emit('text', rows: plain(conn.exec_params(AGGREGATE, [404, 'mobile']).values))
  binary = conn.exec_params('SELECT count(*) AS n, CAST(sum(bytes) AS bigint) AS b FROM events WHERE status = $1', [200], 1)
  emit('binary', rows: binary.values.map { |r| r.map { |v| v.unpack1('q>') } }, formats: [binary.fformat(0), binary.fformat(1)])
  conn.prepare('by_status', AGGREGATE)
  emit('described', types: (0...conn.describe_prepared('by_status').nparams).map { |i| conn.describe_prepared('by_status').paramtype(i) })
  emit('prepared', rows: plain(conn.exec_prepared('by_status', [200, 'desktop']).values))
when 'single_row'
  conn.send_query(SCAN)
  conn.set_single_row_mode
  rows = []
  statuses = []
  while (result = conn.get_result)
    statuses << result.result_status
    result.check
    rows.concat(result.values)
    result.clear
  end
  emit('single_row', rows: rows, single_tuple_results: statuses.count(PG::PGRES_SINGLE_TUPLE), final_tuples_ok: statuses.last == PG::PGRES_TUPLES_OK)
else
  abort "unknown scenario #{scenario}"
end
conn.close
