"""No-op ClientApp: returns the arrays it received plus a constant, like the Java benchmark's no-op trainers."""

import numpy as np
from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    partition = int(context.node_config["partition-id"])
    shift = np.float32((partition + 1) * 1e-4)
    arrays = msg.content["arrays"].to_numpy_ndarrays()
    updated = [a + shift for a in arrays]
    content = RecordDict({"arrays": ArrayRecord(updated), "metrics": MetricRecord({"num-examples": 10})})
    return Message(content=content, reply_to=msg)
