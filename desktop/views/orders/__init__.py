"""Service orders (售后服务单): the list, intake, and the order's detail pane with every step after intake."""
