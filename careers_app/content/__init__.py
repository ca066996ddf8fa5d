"""The module engine: content files, their schema and loading. No routes, no features."""
