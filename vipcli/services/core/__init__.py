"""Who acts and what they may see: the unit of work, access, audit, standing, the customer
list, the database's own commands, IN-list batching."""
