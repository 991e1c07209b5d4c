// Imported first by every page: marks when the bundle's evaluation starts (modules run in import order), so the time
// before the draw call splits into loading, compiling and evaluating the library.
performance.mark("page-eval");
