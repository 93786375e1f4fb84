enum BordinPlotPlaceholder {}
