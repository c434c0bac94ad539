"""The throwaway cluster itself: PostGIS answers on 127.0.0.1."""


def test_cluster_has_postgis_on_localhost(pg_server):
    with pg_server.connect() as conn:
        version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        addr = conn.execute("SELECT inet_server_addr()::text").fetchone()[0]
    assert version.startswith("3.")
    assert addr.startswith("127.0.0.1")
