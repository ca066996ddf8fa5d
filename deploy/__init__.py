"""Deployment files and the production-shaped stack the tests run."""
