def pytest_collection_modifyitems(items):
    """Schemathesis gives every operation of a test the same node id (pytest 9 builds it from
    the function's name), and pytest-xdist's `--dist loadfile` (`make test`) then runs only one
    of them: put the operation in the id."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and item._id.params is None:
            item._id = item._id.with_params(label)
