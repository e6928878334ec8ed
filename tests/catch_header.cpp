// Carries the precompiled catch.hpp that the test programs reuse.
