"""Kubernetes object mechanics as Go computes them: patches (:mod:`.patch`) and the typed view of
Pods and Nodes (:mod:`.typed`), both driven by the Go-generated schema in :mod:`._schema_core_v1`."""
