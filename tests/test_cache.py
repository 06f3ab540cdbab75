"""The shared cache backend against the machine's Redis (CI starts one): Django's behaviour, one client per pool."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from ouderportaal.core.cache import SharedClientRedisCache


@pytest.fixture
def redis_cache():
    cache = SharedClientRedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "test-shared-client"})
    cache.clear()
    yield cache
    cache.clear()


def test_reads_and_writes_as_djangos_redis_cache(redis_cache):
    redis_cache.set("session", {"user": 7}, 30)
    assert redis_cache.get("session") == {"user": 7}
    assert redis_cache.add("session", "other") is False
    redis_cache.set("count", 1, 30)
    assert redis_cache.incr("count") == 2
    redis_cache.delete("session")
    assert redis_cache.get("session", "gone") == "gone"


def test_one_client_serves_every_call_and_thread(redis_cache):
    client = redis_cache._cache
    first = client.get_client("a")
    assert client.get_client("b", write=True) is first
    redis_cache.set("k", "v", 30)
    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(lambda _: redis_cache.get("k"), range(200))) == {"v"}
        assert set(pool.map(lambda _: id(client.get_client()), range(50))) == {id(first)}
