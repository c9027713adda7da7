"""What a customer is likely to want next (task and destination), learned from histories."""
