"""The knowledge base: reviewed YAML content loaded into SQL, read through repositories."""

from knotcare.kb.db import KnowledgeBase, UnitOfWork, get_knowledge_base

__all__ = ["KnowledgeBase", "UnitOfWork", "get_knowledge_base"]
