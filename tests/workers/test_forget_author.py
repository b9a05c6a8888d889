"""An author's data erased on request: after ``moderation authors forget``, nothing of them is left in Redis."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from redis import Redis

from harness.malformed import raw_message
from harness.tally import dead_letters, wait_all_decided, wait_until
from moderation.intake.client import Receipt
from moderation.logs import keyed_hash
from moderation.review.queue import ReviewQueue
from tests.workers.conftest import RunningWorker
from tests.workers.test_end_to_end import client_for

pytestmark = pytest.mark.integration


def everything(redis: Redis, prefix: str) -> str:
    """Every key and value under ``prefix``, as one text."""
    parts = []
    for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        kind = redis.type(key)
        parts.append(key)
        if kind == "string":
            parts.append(str(redis.get(key)))
        elif kind == "hash":
            parts.append(str(redis.hgetall(key)))
        elif kind == "stream":
            parts.append(str(redis.xrange(key)))
        elif kind == "zset":
            parts.append(str(redis.zrange(key, 0, -1)))
        elif kind == "set":
            parts.append(str(redis.smembers(key)))
        elif kind == "list":
            parts.append(str(redis.lrange(key, 0, -1)))
    return "\n".join(parts)


def test_forgetting_an_author_leaves_nothing_of_them_in_redis(worker: RunningWorker, uid: str) -> None:
    client = client_for(worker)
    author, email = f"gone-{uid}", f"gone.{uid}@private-mail.example"
    ip = f"198.18.{int(uid[:2], 16)}.{int(uid[2:4], 16)}"
    who = {"id": author, "name": "Gone", "email": email, "ip": ip}
    # Given an author with decided, held, reported and dead-lettered comments on two sites
    comments = [
        {"id": f"{uid}-1", "site": "news", "body": "Thanks for the clear explanation of the budget.", "author": who},
        {"id": f"{uid}-2", "site": "blog", "body": "Спасибо за интересную статью о регате", "lang": "en",
         "author": who},
        {"id": f"{uid}-3", "site": "news", "body": "EARN $5000 a week from home!!! www.quick-cash-profits.biz",
         "author": who},
    ]
    receipts = client.submit_many(comments)
    refs = [r.ref for r in receipts if isinstance(r, Receipt)]
    assert len(refs) == 3 and wait_all_decided(client.redis, client.prefix, refs, 90).lost == 0
    ReviewQueue(client.redis, prefix=client.prefix).report([f"news {uid}-1"], "spam", moderator="mod")
    client.redis.lpush(worker.queue, raw_message(worker.queue, [[[{"id": f"{uid}-4", "body": "   ", "author": who}]],
                                                                {}, None]))
    assert wait_until(lambda: any(f"{uid}-4" == f["comment_id"] for f in dead_letters(client.redis, client.prefix)),
                      60)
    needles = [author, email, ip, keyed_hash(email), keyed_hash(ip)]
    before = everything(client.redis, client.prefix)
    assert all(n in before for n in (author, email, ip)), "the author's data should be there to begin with"
    # When the author is forgotten on every site, as the moderation command does it
    env = {**os.environ, "REDIS_URL": worker.redis_url, "MODERATION_PREFIX": worker.prefix,
           "MODERATION_QUEUE": worker.queue}
    result = subprocess.run([sys.executable, "-m", "moderation", "authors", "forget", author], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    # Then nothing of them is left in Redis: no id, no e-mail or IP address, raw or hashed
    after = everything(client.redis, client.prefix)
    assert [n for n in needles if n in after] == []
    assert email not in result.stdout + result.stderr and ip not in result.stdout + result.stderr
