# The version comes from the pipeline: `package` sets CHAIN_VERSION to chain's version().
import os

from setuptools import setup

setup(version=os.environ.get("CHAIN_VERSION", "0.0.0"))
