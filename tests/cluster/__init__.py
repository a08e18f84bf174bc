"""Tests on the secure three-node Elasticsearch cluster (POLICYKB_ES_CLUSTER_ENV)."""
