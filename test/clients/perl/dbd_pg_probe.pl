#!/usr/bin/perl
# Drives the gateway with Perl's DBD::Pg (Debian libdbd-pg-perl) and prints one JSON line per result,
# so test/clients/scripting.test.ts can compare them with the PostgreSQL twin.
# Usage: perl dbd_pg_probe.pl URL SCENARIO
#   catalog: DBI table_info, column_info and primary_key_info (DBD::Pg's own pg_catalog queries), as
#            DBIx::Class::Schema::Loader browses a schema
#   params:  ? placeholders through server-side prepares (pg_server_prepare, the default), re-executed
#   cursor:  DECLARE ... CURSOR in a transaction, read with FETCH 15 until empty
use strict;
use warnings;
use DBI;
use JSON::PP;

my $json = JSON::PP->new->canonical->utf8;
sub emit { my ($kind, %fields) = @_; print $json->encode({ kind => $kind, %fields }), "\n"; }

my ($url, $scenario) = @ARGV;
my ($user, $host, $port, $db) = $url =~ m{^postgres(?:ql)?://([^@:]*)(?::[^@]*)?@([^:/]+):(\d+)/([^?]+)} or die "bad url $url\n";
my $dbh = DBI->connect("dbi:Pg:host=$host;port=$port;dbname=$db;sslmode=disable", $user, '', { RaiseError => 1, PrintError => 0, AutoCommit => 1 });

# Keeps the listed keys of each row hash (DBD::Pg adds driver-specific pg_* keys).
sub pick { my ($rows, @keys) = @_; return [ map { my $r = $_; [ map { $r->{$_} } @keys ] } @$rows ]; }

my $aggregate = 'SELECT country, count(*) AS n, min(__time) AS first_seen, max(latency_ms) AS l FROM events '
    . 'WHERE status = ? AND device = ? GROUP BY country ORDER BY n DESC, country LIMIT 3';

if ($scenario eq 'catalog') {
    my $tables = $dbh->table_info(undef, 'public', undef, 'TABLE')->fetchall_arrayref({});
    emit('tables', rows => pick($tables, qw(TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS)));
    for my $table ('events', 'Koalas to the Max') {
        my $columns = $dbh->column_info(undef, 'public', $table, undef)->fetchall_arrayref({});
        emit('columns', table => $table, rows => pick($columns, qw(TABLE_NAME COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE NULLABLE COLUMN_DEF ORDINAL_POSITION IS_NULLABLE pg_type)));
        my $sth = $dbh->primary_key_info(undef, 'public', $table);
        emit('primary_key', table => $table, rows => $sth ? $sth->fetchall_arrayref : []);
    }
    emit('quoted', name => $dbh->quote_identifier(undef, 'public', 'Koalas to the Max'));
} elsif ($scenario eq 'params') {
    my $sth = $dbh->prepare($aggregate);
    $sth->execute(404, 'mobile');
    emit('first', rows => $sth->fetchall_arrayref, types => $sth->{pg_type});
    $sth->execute(200, 'desktop');
    emit('second', rows => $sth->fetchall_arrayref, names => $sth->{NAME});
    my ($n) = $dbh->selectrow_array('SELECT count(*) FROM events WHERE country = $1', undef, 'Germany');
    emit('dollar', value => $n);
} elsif ($scenario eq 'cursor') {
    $dbh->begin_work;
    $dbh->do('DECLARE scan CURSOR FOR SELECT user_id, bytes FROM events ORDER BY __time, user_id LIMIT 40');
    my (@rows, @batches);
    while (1) {
        my $batch = $dbh->selectall_arrayref('FETCH 15 FROM scan');
        push @batches, scalar @$batch;
        last unless @$batch;
        push @rows, @$batch;
    }
    $dbh->do('CLOSE scan');
    $dbh->commit;
    emit('cursor', rows => \@rows, batches => \@batches);
} else {
    die "unknown scenario $scenario\n";
}
$dbh->disconnect;
