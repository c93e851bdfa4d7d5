void f() { undeclared(); }
