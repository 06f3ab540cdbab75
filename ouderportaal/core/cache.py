"""The shared cache (CACHE_URL=redis://…): Django's Redis backend with one client per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and redis-py 8 fills a table of some 170
response callbacks in each: about 60 µs of CPU per call, paid on every page for the session alone (docs/benchmarks.md).
A redis.Redis over a pool is safe to share between threads (each command takes its own connection from the pool), so
one per pool serves every call of the process."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # pool index -> redis.Redis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClient
