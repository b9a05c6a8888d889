"""Operations: health, metrics, re-scoring a backlog, and an embedded Redis for machines without one."""
