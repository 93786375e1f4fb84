import BordinData
