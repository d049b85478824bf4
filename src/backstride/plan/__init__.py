"""The personalised, progressive plan: model, generator, schedule, advice and exports."""
