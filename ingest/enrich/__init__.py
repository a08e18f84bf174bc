"""Enrichment: metadata extracted from passage text with the domain tables in knowledge/data/.

Modules: :mod:`~knowledge.docnum` (文号), :mod:`~ingest.enrich.dates` (dates,
validity, repeals), :mod:`~knowledge.tables` (data files), :mod:`~ingest.enrich.nlp`
(spaCy over analyzer tokens), :mod:`~ingest.enrich.clause_types` (condition, benefit,
procedure, obligation or general for each policy clause), :mod:`~ingest.enrich.agency_roles`
(issuing versus mentioned agencies), :mod:`~ingest.enrich.metadata` (the extractor) and
:mod:`~knowledge.userdict` (jieba user dictionary generation). Nothing heavy is
imported here: spaCy and jieba load only when text is enriched.
"""
