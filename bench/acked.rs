//! The load tests' check that nothing acknowledged is lost, by id: callers create payments
//! (the sandbox pays them at once) for a while and write down the `merchant_order_id` of
//! every create paycore acknowledged, one per line; bench/run then compares that set with the
//! ids stored in the database. ghz cannot do this: it does not say which calls succeeded.
//!
//! Usage: `acked ADDR API_KEY CALLERS SECONDS PREFIX OUT_FILE`

// A load tool that cannot go on stops with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::time::{Duration, Instant};

use paycore::proto::v1;
use paycore::proto::v1::payment_service_client::PaymentServiceClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, key, callers, seconds, prefix, out] = args.as_slice() else {
        return Err("usage: acked ADDR API_KEY CALLERS SECONDS PREFIX OUT_FILE".into());
    };
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let bearer: tonic::metadata::MetadataValue<_> = format!("Bearer {key}").parse()?;
    let until = Instant::now() + Duration::from_secs(seconds.parse()?);
    let callers: Vec<_> = (0..callers.parse::<usize>()?)
        .map(|caller| {
            let (channel, bearer, prefix) = (channel.clone(), bearer.clone(), prefix.clone());
            tokio::spawn(async move {
                let mut client = PaymentServiceClient::new(channel);
                let (mut acked, mut failed) = (Vec::new(), 0_u64);
                for i in 0.. {
                    if Instant::now() >= until {
                        break;
                    }
                    let id = format!("{prefix}-{caller}-{i}");
                    let mut request = tonic::Request::new(v1::CreatePaymentRequest {
                        merchant_order_id: id.clone(),
                        amount: Some(v1::Money {
                            amount_minor: 100,
                            currency: "CNY".into(),
                        }),
                        method: v1::PaymentMethod::QrCode.into(),
                        metadata: [("sandbox_outcome".to_owned(), "succeed".to_owned())].into(),
                        ..Default::default()
                    });
                    request
                        .metadata_mut()
                        .insert("authorization", bearer.clone());
                    match client.create_payment(request).await {
                        Ok(_) => acked.push(id),
                        Err(_) => failed += 1,
                    }
                }
                (acked, failed)
            })
        })
        .collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let (mut acked, mut failed) = (0, 0);
    for caller in callers {
        let (ids, errors) = caller.await?;
        acked += ids.len();
        failed += errors;
        for id in ids {
            writeln!(file, "{id}")?;
        }
    }
    file.flush()?;
    eprintln!("acked: {acked} acknowledged, {failed} failed");
    Ok(())
}
