"""Enrichment: metadata extracted from passage text with the domain tables in ingest/data/.

Modules: :mod:`~ingest.enrich.docnum` (文号), :mod:`~ingest.enrich.dates` (dates,
validity, repeals), :mod:`~ingest.enrich.tables` (data files), :mod:`~ingest.enrich.nlp`
(spaCy over analyzer tokens), :mod:`~ingest.enrich.metadata` (the extractor) and
:mod:`~ingest.enrich.userdict` (jieba user dictionary generation). Nothing heavy is
imported here: spaCy and jieba load only when text is enriched.
"""
